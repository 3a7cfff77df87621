"""What the migrated schema says about a column, without a warehouse file: the shipped migrations are applied
to an in-memory DuckDB once per process.

The quality gate asks whether an amount fits ``fact_budget.amount_wan`` before the load (a number that does not
would fail the whole run's transaction, not just its file). Deriving the limit from the column itself keeps the
check right when a migration widens the column: there is no second constant to forget.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache


@lru_cache(maxsize=None)
def decimal_type(table: str, column: str) -> tuple[int, int]:
    """(precision, scale) of a DECIMAL column of the warehouse as the shipped migrations leave it."""
    import duckdb

    from budget_etl.warehouse.migrate import migrate

    with duckdb.connect(":memory:") as con:
        migrate(con)
        row = con.execute("""
            SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns
            WHERE table_schema = 'main' AND table_name = ? AND column_name = ?
        """, [table, column]).fetchall()
    if not row or not str(row[0][0]).upper().startswith("DECIMAL"):
        raise LookupError(f"{table}.{column} is not a DECIMAL column of the warehouse: {row}")
    return int(row[0][1]), int(row[0][2])


def decimal_fits(value: Decimal | str | None, precision: int, scale: int) -> bool:
    """Does ``value`` cast to DECIMAL(precision, scale) as DuckDB casts it (rounded half away from zero to
    ``scale`` places, then at most ``precision - scale`` digits before the point)? None (no value) fits."""
    if value is None:
        return True
    if isinstance(value, str):  # staging's exact text ('1363.41', '-0.5'): most need no Decimal at all
        whole = value.lstrip("+-").partition(".")[0]
        if whole.isdigit() and len(whole.lstrip("0")) < precision - scale:
            return True  # fewer digits than the limit before the point: rounding cannot reach 10**(p-s)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return False
    if not number.is_finite():
        return False
    with localcontext() as ctx:
        ctx.prec = max(precision, len(number.as_tuple().digits)) + 2  # room for the rounding, never inexact
        ctx.Emax, ctx.Emin = 10 ** 6, -(10 ** 6)
        if number.adjusted() >= precision - scale + 1:  # far too large: skip quantizing a huge number
            return False
        rounded = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    return abs(rounded) < Decimal(10) ** (precision - scale)


def decimal_limit_text(precision: int, scale: int) -> str:
    """'|x| < 1e14 (DECIMAL(18,4))': what the check expects, in words."""
    return f"|x| < 1e{precision - scale} (DECIMAL({precision},{scale}))"
