"""Attendance, its settings and the certificates move here from ``live``, keeping every row.

The tables stay where they are (``db_table`` keeps live's names), so the database is not touched: this migration
only tells Django's state that the models are ours now (``live.0004`` forgets them on live's side). The content
types move with them, so their permissions, and the groups that hold them (participants/roles.py), and the admin's
history keep pointing at the same rows.
"""

import common.text
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ["attendance", "certificate", "livesettings"]


def _move_content_types(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=old, model=model).exists():
            continue  # a new database: post_migrate creates our types after the migrations
        # The old type carries the permissions, the groups' grants and the admin log; a type of the same model
        # made for the new label meanwhile (migrating back and forth) has nothing of that and gives way.
        types.filter(app_label=new, model=model).delete()
        types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "live", "attendance")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "attendance", "live")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('live', '0003_bound_free_text'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('participants', '0008_user_language'),
        ('sessions_app', '0006_index_occurrence_moments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Attendance',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('status', models.CharField(choices=[('present', 'Present'), ('partly', 'Partly'), ('absent', 'Absent')], max_length=10)),
                            ('minutes_attended', models.PositiveSmallIntegerField(blank=True, help_text='From the attendee report.', null=True)),
                            ('source', models.CharField(choices=[('facilitator', 'Taken by the facilitator'), ('report', 'Attendee report')], default='facilitator', max_length=12)),
                            ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                            ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='sessions_app.sessionoccurrence')),
                            ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='participants.participant')),
                            ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'verbose_name': 'attendance',
                            'verbose_name_plural': 'attendance',
                            'db_table': 'live_attendance',
                            'ordering': ['occurrence', 'participant'],
                            'constraints': [models.UniqueConstraint(fields=('occurrence', 'participant'), name='attendance_once_per_occurrence'), models.CheckConstraint(condition=models.Q(('status__in', ['present', 'partly', 'absent'])), name='attendance_known_status')],
                        },
                    ),
                    migrations.CreateModel(
                        name='Certificate',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('code', models.CharField(editable=False, max_length=12, unique=True)),
                            ('holder_name', common.text.ShortTextField(max_length=300)),
                            ('workshop_title', common.text.ShortTextField(max_length=300)),
                            ('group_name', common.text.ShortTextField(max_length=60)),
                            ('first_session_on', models.DateField()),
                            ('last_session_on', models.DateField()),
                            ('sessions_attended', models.PositiveSmallIntegerField()),
                            ('issued_at', models.DateTimeField(default=django.utils.timezone.now)),
                            ('revoked_at', models.DateTimeField(blank=True, help_text='A revoked certificate no longer verifies (e.g. attendance was corrected).', null=True)),
                            ('participant', models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='certificate', to='participants.participant')),
                        ],
                        options={
                            'db_table': 'live_certificate',
                            'ordering': ['-issued_at'],
                            'constraints': [models.CheckConstraint(condition=models.Q(('last_session_on__gte', models.F('first_session_on'))), name='certificate_dates_in_order')],
                        },
                    ),
                    migrations.CreateModel(
                        name='LiveSettings',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('partly_counts_for_certificate', models.BooleanField(default=False, help_text='Off: a certificate needs “present” at every session of the group. On: attending part of a session is enough.', verbose_name='“partly” counts for the certificate')),
                            ('present_from_percent', models.PositiveSmallIntegerField(default=75, help_text="When importing the meeting platform's attendee report, fewer minutes than this share of the session's length count as “partly”.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='present from (% of the session)')),
                            ('certificate_signatories', common.text.LongTextField(blank=True, help_text='Printed under the certificate, one per line, e.g. “Name, Title, Organization”.', max_length=2000)),
                            ('workshop', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='live_settings', to='sessions_app.workshop')),
                        ],
                        options={
                            'verbose_name': 'live-session settings',
                            'verbose_name_plural': 'live-session settings',
                            'db_table': 'live_livesettings',
                            'constraints': [models.CheckConstraint(condition=models.Q(('present_from_percent__gte', 1), ('present_from_percent__lte', 100)), name='live_settings_percent_range')],
                        },
                    ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
