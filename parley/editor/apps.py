from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "parley.editor"
    label = "editor"
    verbose_name = "Editor: drafts, preview and multi-quote"

    def ready(self) -> None:
        from parley.forums.hooks import register_compose_initial, register_post_submitted_recorder

        from .queries import draft_initial
        from .services import clear_draft_on_post

        register_post_submitted_recorder(clear_draft_on_post)
        register_compose_initial(draft_initial)
