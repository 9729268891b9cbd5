from django.urls import path

from . import views, views_archive, views_edit, views_procedures, views_work

urlpatterns = [
    path("home/", views.home, name="home"),
    path("", views.case_list, name="list"),
    path("deleted/", views.recycle_bin, name="recycle_bin"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/qr.<str:fmt>", views.case_qr, name="qr"),
    path("<int:pk>/do/<str:name>/", views_edit.do_transition, name="transition"),
    path("<int:pk>/edit/", views_edit.edit_case, name="edit"),
    path("<int:pk>/assign/", views_edit.assign, name="assign"),
    path("<int:pk>/delete/", views_edit.delete_case, name="delete"),
    path("<int:pk>/restore/", views_edit.restore_case, name="restore"),
    path("<int:pk>/reopen/", views_archive.reopen_case, name="reopen"),
    path("<int:pk>/parties/add/", views_edit.party_form, name="party_add"),
    path("<int:pk>/parties/<int:party_pk>/", views_edit.party_form, name="party_edit"),
    path("<int:pk>/parties/<int:party_pk>/delete/", views_edit.party_delete, name="party_delete"),
    path("party/<int:party_pk>/reveal/<str:field>/", views_edit.party_reveal, name="party_reveal"),
    path("<int:pk>/doc/<str:key>.docx", views_edit.document, name="document"),
    path("intake/", views_work.intake, name="intake"),
    path("<int:pk>/take/", views_work.take, name="take"),
    path("<int:pk>/transfer/", views_work.transfer, name="transfer"),
    path("<int:pk>/share/", views_work.share, name="share"),
    path("shares/<int:pk>/end/", views_work.end_share, name="share_end"),
    path("<int:pk>/handover/<str:key>/", views_work.hand_over, name="handover"),
    path("<int:pk>/procedures/<str:key>/open/", views_procedures.open_view, name="procedure_open"),
    path("<int:pk>/procedures/<int:proc_pk>/do/<str:name>/", views_procedures.step_view, name="procedure_step"),
    path("<int:pk>/procedures/<int:proc_pk>/doc/<str:key>.docx", views_procedures.document_view, name="procedure_document"),
]
