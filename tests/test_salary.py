import pytest

from jobland_pipeline.postings.salary import parse_salary


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period"),
    [
        ("$85,000 - $105,000 a year", 85_000, 105_000, "USD", "year"),
        ("£45k–£55k", 45_000, 55_000, "GBP", "year"),
        ("¥25,000-35,000/月", 25_000, 35_000, "CNY", "month"),
        ("年薪25-35万", 250_000, 350_000, "CNY", "year"),
        ("$42/hour", 42, 42, "USD", "hour"),
        ("$38.50 - $52.00 per hour", 38.5, 52, "USD", "hour"),
        ("€60,000 per annum", 60_000, 60_000, "EUR", "year"),
        # Dots grouping thousands (most of Europe): a yearly figure, not 45 an hour.
        ("€45.000", 45_000, 45_000, "EUR", "year"),
        ("62.000 - 72.000 EUR brutos anuales", 62_000, 72_000, "EUR", "year"),
        ("1.234.567", 1_234_567, 1_234_567, None, "year"),
        ("€1.234.567,89", 1_234_567.89, 1_234_567.89, "EUR", "year"),
        ("€45.000,50", 45_000.5, 45_000.5, "EUR", "year"),
        # A unit after the figure keeps the dot decimal.
        ("$24.5k", 24_500, 24_500, "USD", "year"),
        ("¥3.205万", 32_050, 32_050, "CNY", "month"),
    ],
)
def test_parse_salary(text: str, low: float, high: float, currency: str, period: str) -> None:
    salary = parse_salary(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (low, high, currency, period)


@pytest.mark.parametrize("text", [None, "", "Competitive", "DOE", "1.2.3", "v2.0.1.5"])
def test_unknown_salary(text: str | None) -> None:
    assert parse_salary(text) is None


def test_yearly_figure() -> None:
    salary = parse_salary("$40/hour")
    assert salary is not None and salary.yearly_max == 40 * 2080
