from django.urls import path

from .views import dashboard, drill, figures, report, returns, table

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("wall/", dashboard.wall, name="wall"),
    path("drill/", drill.drill, name="drill"),
    path("table/", table.table, name="table"),
    path("table/export/", table.table_export, name="table_export"),
    path("report/", report.report, name="report"),
    path("line/<str:label>/", figures.line_figures, name="line"),
    path("returns/<str:key>/", returns.stat_return, name="return"),
]
