from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "sifa.attachments"
    label = "attachments"
    verbose_name = "附件"
