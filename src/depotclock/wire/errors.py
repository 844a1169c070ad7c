"""The one error type of the wire contract."""


class WireError(ValueError):
    """A message that does not meet the contract; `field` names where, `problem` says what."""

    def __init__(self, kind: str, field: str, problem: str):
        self.kind = kind
        self.field = field
        self.problem = problem
        super().__init__(f"{kind}: {field}: {problem}")
