from django.urls import path

from .views import dashboard, definitions, drill, figures, report, returns, table

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("wall/", dashboard.wall, name="wall"),
    path("drill/", drill.drill, name="drill"),
    path("table/", table.table, name="table"),
    path("table/export/", table.table_export, name="table_export"),
    path("report/", report.report, name="report"),
    path("report/new/", report.report_create, name="report_create"),
    path("report/<int:pk>/", report.report_detail, name="report_detail"),
    path("report/<int:pk>/download/", report.report_download, name="report_download"),
    path("report/<int:pk>/versions/<int:number>/", report.report_version, name="report_version"),
    path("definitions/", definitions.definitions, name="definitions"),
    path("line/<str:label>/", figures.line_figures, name="line"),
    path("returns/<str:key>/", returns.stat_return, name="return"),
]
