"""Use-cases: load rows, call the pure code, persist. Services own the transaction."""


class ServiceError(Exception):
    """A request the service refuses; views turn it into a 4xx with this message."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class NotFound(ServiceError):
    status = 404


class Gone(ServiceError):
    status = 410


class Conflict(ServiceError):
    status = 409
