"""Running bantin for the newsroom on one machine (`bantin up` / `bantin down`), without importing Prefect.

    state.py       where the running service is written down (data/bantin-up.json) and the lock that makes
                   it one per data folder; how the CLI finds it
    processes.py   child processes that die with their parent and take their own children with them
    supervisor.py  keeps each part running: restarts a part that dies, with backoff
    parts.py       the parts of a newsroom: Prefect's server, the served deployments, the stations' web app
    temporary.py   a temporary Prefect server for one CLI command when `bantin up` is not running
    api.py         Prefect's REST API spoken directly: run a deployment, follow it, read its result

Prefect itself is imported only by the flow modules at the root of flows/ (deployments.py and warm.py in the
runner; trigger.py only for a result kept somewhere other than a local file).
"""

from flows.service.state import ServicePaths, ServiceState, running

__all__ = ["ServicePaths", "ServiceState", "running"]
