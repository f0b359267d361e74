"""The metrics the installed apps contribute through the
``register_insights_metrics`` Wagtail hook (see
:class:`community.insights.metrics.Metric`). Read on every call, so a hook
registered later (or temporarily, in a test) counts at once."""

from wagtail import hooks

HOOK = "register_insights_metrics"


def all_metrics():
    """Every registered metric, once (by id), in registration order."""
    metrics, seen = [], set()
    for register in hooks.get_hooks(HOOK):
        for metric in register():
            if metric.id not in seen:
                seen.add(metric.id)
                metrics.append(metric)
    return metrics


def metrics_for(user):
    """The registered metrics `user` has the permission to see."""
    return [metric for metric in all_metrics() if user.has_perm(metric.permission)]
