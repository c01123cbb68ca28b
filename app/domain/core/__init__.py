"""What every area of the domain shares: the command contract (typed
payloads, reason codes, execute), actors and permission checks, ids,
pagination and lifecycles. Areas import from here, never from each other's
internals."""
