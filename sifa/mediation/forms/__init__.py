"""Forms of people's mediation: registration, workflow steps, the registry."""
