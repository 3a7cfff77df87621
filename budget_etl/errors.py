"""The one root of budget-etl's errors: every error a user can act on is a :class:`BudgetEtlError`.

Errors are data: a stable ``code`` (English snake_case, for machines and the README's table), a ``message``
in plain words, and ``transient``, which says whether trying again can help (a locked warehouse, a file
that vanished) or not (a corrupt file): only transient errors are ever retried. Subclasses add where the
error is (:class:`budget_etl.parsers.errors.ReadError`: sheet and cell).
"""
from __future__ import annotations


class BudgetEtlError(Exception):
    """An error with a code, a message and whether a retry can help."""

    def __init__(self, code: str, message: str, *, transient: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient

    def __reduce__(self):  # picklable across worker processes, whatever the subclass's signature
        return (_rebuild, (type(self), self.__dict__ | {"args": self.args}))

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def _rebuild(cls: type, state: dict) -> BudgetEtlError:
    error = cls.__new__(cls)
    Exception.__init__(error, *state.pop("args"))
    error.__dict__.update(state)
    return error
