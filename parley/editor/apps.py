from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "parley.editor"
    label = "editor"
    verbose_name = "Editor: drafts, preview and multi-quote"

    def ready(self) -> None:
        from parley.attachments.services import register_orphan_keeper
        from parley.forums.hooks import register_compose_initial, register_post_submitted_recorder

        from .queries import draft_initial, draft_tokens
        from .services import clear_draft_on_post

        register_post_submitted_recorder(clear_draft_on_post)
        register_orphan_keeper(draft_tokens)
        register_compose_initial(draft_initial)
