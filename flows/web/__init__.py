"""`bantin serve`: the web app (FastAPI, served by uvicorn) for station operators, the newsroom and machines.

Import `flows.web.app.create_app` for the ASGI app and `flows.web.server.serve` to run it.
"""
