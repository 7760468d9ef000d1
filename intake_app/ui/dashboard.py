"""The dashboard's pages in the main window: statistics, leads, prevention log, seized lists."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from intake_app.ui.outreach_pages import LeadsPage, PreventionPage
from intake_app.ui.seized_page import SeizedListPage
from intake_app.ui.session import Session
from intake_app.ui.statistics_page import StatisticsPage


class _Window(Protocol):
    session: Session

    def add_page(self, key: str, title: str, widget: QWidget) -> None: ...


def add_dashboard_pages(window: _Window) -> None:
    session = window.session
    stats = StatisticsPage(session)
    leads = LeadsPage(session)
    prevention = PreventionPage(session)
    leads.registered.connect(stats.refresh)
    prevention.registered.connect(stats.refresh)
    window.add_page("statistics", QCoreApplication.translate("Dashboard", "Statistics"), stats)
    window.add_page("leads", QCoreApplication.translate("Dashboard", "Leads"), leads)
    window.add_page(
        "prevention", QCoreApplication.translate("Dashboard", "Prevention log"), prevention
    )
    seized = SeizedListPage(session)
    window.add_page("seized", QCoreApplication.translate("Dashboard", "Seized lists"), seized)
