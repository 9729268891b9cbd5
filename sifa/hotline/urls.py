"""Pages of the hotline, mounted at /hotline/ (namespace "hotline")."""

from django.urls import path

from . import views
from .views import knowledge as views_knowledge
from .views import replies as views_replies

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.create, name="create"),
    path("todo/", views.todo, name="todo"),
    path("quality/", views.quality_sample, name="quality"),
    # 知识库 (the operators search it on a call; the bureau keeps it)
    path("knowledge/", views_knowledge.index, name="knowledge"),
    path("knowledge/search/", views_knowledge.search, name="knowledge_search"),
    path("knowledge/new/", views_knowledge.create, name="knowledge_create"),
    path("knowledge/<int:pk>/", views_knowledge.detail, name="knowledge_detail"),
    path("knowledge/<int:pk>/edit/", views_knowledge.edit, name="knowledge_edit"),
    path("knowledge/<int:pk>/use/", views_knowledge.use, name="knowledge_use"),
    # Replies to orders transferred from 12345/110, in the shape the platform takes.
    path("replies/", views_replies.index, name="replies"),
    path("replies/export/", views_replies.export, name="replies_export"),
]
