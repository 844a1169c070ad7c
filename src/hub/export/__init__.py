"""Payroll export: approved timesheets of a pay period written as a payroll system imports
them (docs/export.md). One module per format; hours rounded once, at the end."""
