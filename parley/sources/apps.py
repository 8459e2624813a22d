from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "parley.sources"
    label = "sources"
    verbose_name = "News sources"

    def ready(self) -> None:
        from parley.forums import hooks
        from parley.links.previews import register_source_labeller

        from . import directory, policy

        hooks.register_link_ruler(policy.ruling_for)
        hooks.register_trusted_check(directory.is_trusted_url)
        register_source_labeller(policy.labels_for_key)
