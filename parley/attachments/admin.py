from django.contrib import admin

from .models import Attachment, AttachmentQuota


@admin.register(AttachmentQuota)
class AttachmentQuotaAdmin(admin.ModelAdmin):
    list_display = ("group", "max_file_mb", "max_per_post", "max_total_mb")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "filename", "kind", "content_type", "size", "uploader", "post")
    list_filter = ("kind",)
    raw_id_fields = ("uploader", "post")
    readonly_fields = ("stored_name", "thumb_name", "form_key", "created_at")
