"""System checks that explain a misconfiguration, with the fix in the message."""
