"""Background jobs people start and follow: department report packs and report emails.

`services` starts a job (a `Job` row, then a `django.tasks` task enqueued once the row is
committed) and does its work inside the worker, step by step, retrying a failed step a
bounded number of times and recording every retry on the job.
"""
