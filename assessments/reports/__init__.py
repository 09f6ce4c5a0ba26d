"""PDF reports: the OH report, the manager report and the department report."""
