"""QQ Connect (QQ 互联) login as an allauth provider."""
