"""The dashboards' figures: each fund's money raised against its target and month by month, matching budget left,
encumbrances, programs' cards; a contributor's own figures."""

from datetime import date

from apps.dashboard.cards import Card
from apps.dashboard.selectors import contributor_figures, fund_panels, program_cards, raised_by_month


def test_each_fund_shows_what_it_raised_its_cash_matching_left_and_encumbrances(books, fund_admin):
    panels = {p.fund.code: p for p in fund_panels(fund_admin, year=2026)}
    wwcf = panels["wwcf"]
    assert wwcf.totals.raised == 450_000_000
    assert wwcf.totals.cash == 450_000_000
    assert (wwcf.matching_budget, wwcf.matching_left) == (1_000_000_000, 800_000_000)  # 50 % of 400 m matched
    assert (wwcf.encumbered, wwcf.open_holds) == (30_000_000, 1)
    assert panels["wwfp"].totals.raised == 200_000_000 and panels["wwfp"].matching_budget == 0


def test_raised_by_month_covers_the_last_twelve_months(books, today):
    months = raised_by_month([books["wwcf"], books["wwfp"]], today=today)
    assert months["labels"][0] == "2025-12" and months["labels"][-1] == "2026-11"
    wwcf = dict(zip(months["labels"], months["series"]["wwcf"], strict=True))
    assert wwcf["2026-03"] == 400_000_000 and wwcf["2026-08"] == 50_000_000 and wwcf["2026-07"] == 0
    assert sum(months["series"]["wwfp"]) == 200_000_000


def test_a_contributor_sees_its_contributions_receipts_credit_and_matching(books, org_a):
    figures = contributor_figures(org_a)
    [year] = figures.years
    assert year.year == 2026
    assert year.by_fund == {"wwcf": 400_000_000, "wwfp": 200_000_000}
    assert (year.receipts, year.receipted) == (2, 600_000_000)
    assert year.tax_credit == 60_000_000  # 10 % of what was received
    assert year.matched == 200_000_000
    assert [f.code for f in figures.funds] == ["wwcf", "wwfp"]


def test_another_companys_money_is_not_in_a_contributors_figures(books, org_b):
    figures = contributor_figures(org_b)
    assert figures.total == 50_000_000 and figures.matched == 0


def test_a_failing_room_does_not_take_the_cards_down(monkeypatch, fund_admin):
    class Broken:
        __name__ = "apps.broken.dashboard"

        @staticmethod
        def dashboard_cards(user):
            raise RuntimeError("boom")

    class Working:
        __name__ = "apps.working.dashboard"

        @staticmethod
        def dashboard_cards(user):
            return [Card(title="Grants", fund="wwcf", used=5, limit=10)]

    monkeypatch.setattr("apps.dashboard.selectors.app_modules", lambda name: [Broken, Working])
    assert [c.title for c in program_cards(fund_admin)] == ["Grants"]


def test_the_default_months_end_this_month(books):
    months = raised_by_month([books["wwcf"]])
    assert months["labels"][-1] == f"{date.today():%Y-%m}"  # noqa: DTZ011


def test_the_chart_reads_in_the_largest_unit_that_keeps_two_digits():
    from apps.dashboard.views import chart_unit

    assert chart_unit([0, 150_000_000_000]).code == "eok"
    assert chart_unit([0, 400_000_000]).code == "million"
    assert chart_unit([9_999]).code == "won"
    assert chart_unit([]).code == "won"
