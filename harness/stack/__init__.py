"""Stack runners: Docker Compose stacks and local processes, booted, watched and torn down."""
