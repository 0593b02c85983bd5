"""The test platform: the pytest plugin, the loopback servers it starts, the processes it runs, tokens."""
