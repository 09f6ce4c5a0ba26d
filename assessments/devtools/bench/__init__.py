"""The load and concurrency benchmark behind `manage.py bench_load`.

`data` seeds a throwaway database and checks it afterwards; `client` drives the running
server over HTTP as assessors and managers would.
"""
