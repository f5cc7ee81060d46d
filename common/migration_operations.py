"""Migration operations for changes that touch labels only (verbose names, ordering): no table, no column.

Django's own ``AlterField`` and ``AlterModelOptions`` re-render the changed model, and for a relation every model
related to it, in the migration state after each operation. A label migration of 90 fields did that 90 times: the
twelve label migrations took 37 of the 48 s that migrating a database back and forth takes (tests/test_migrations,
tests/test_attendance_migration). A label means nothing to a historical model — data migrations read and write
columns — so these operations update the recorded state (what ``makemigrations`` compares the models with) and
leave models already rendered as they are; the next operation that re-renders a model reads the new labels.
"""

from django.db.migrations import AlterField, AlterModelOptions


class _NothingInTheDatabase:
    reduces_to_sql = False

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class RelabelField(_NothingInTheDatabase, AlterField):
    """``AlterField`` for a field whose column stays the same (its label, help text or choices' labels)."""

    def state_forwards(self, app_label, state):
        model_key = app_label, self.model_name_lower
        fields = state.models[model_key].fields
        if state._relations is None:
            fields[self.name] = self.field
            return
        # The relation registry holds the field objects themselves: swap them there as ProjectState.alter_field does.
        old_field = fields.pop(self.name)
        if old_field.is_relation:
            state.resolve_model_field_relations(model_key, self.name, old_field)
        fields[self.name] = self.field
        if self.field.is_relation:
            state.resolve_model_field_relations(model_key, self.name, self.field)

    def describe(self):
        return f"Relabel field {self.name} on {self.model_name}"


class RelabelModel(_NothingInTheDatabase, AlterModelOptions):
    """``AlterModelOptions`` (verbose names, ordering): options that never reach the database."""

    def state_forwards(self, app_label, state):
        model_state = state.models[app_label, self.name_lower]
        options = {**model_state.options, **self.options}
        for key in self.ALTER_OPTION_KEYS:
            if key not in self.options:
                options.pop(key, None)
        model_state.options = options

    def describe(self):
        return f"Relabel model {self.name}"
