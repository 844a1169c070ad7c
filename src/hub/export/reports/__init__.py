"""What managers read, as CSV and as rows for the web pages: utilisation, work-order time
and cost, overtime and exceptions, rounding neutrality. Pure functions of timesheets
(hub.services.records gives them a chunk at a time); one module per report."""
