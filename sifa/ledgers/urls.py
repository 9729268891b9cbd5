from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("import/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("template/<str:case_type>.xlsx", views.template_download, name="template"),
    path("export/", views.export_start, name="export"),
    path("export/<int:pk>/", views.export_job, name="export_job"),
    path("export/<int:pk>/status/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("export/approvals/", views.export_approvals, name="export_approvals"),
]
