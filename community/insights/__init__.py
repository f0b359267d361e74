"""Insights for editors: engagement metrics contributed by apps through the
``register_insights_metrics`` hook, daily aggregates, brand listening."""
