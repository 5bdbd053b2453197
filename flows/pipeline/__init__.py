"""The work of each stage as plain Python over the store; the Prefect flows only call these."""
