"""From the broker to the store: each valid message once, each invalid one dead-lettered."""
