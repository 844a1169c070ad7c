"""The appliance: one command that installs a kiosk, a van unit or a hub as services."""
