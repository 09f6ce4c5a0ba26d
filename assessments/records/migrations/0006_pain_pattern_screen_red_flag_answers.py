"""The one pain-pattern screen and red flags asked as yes / no / not asked.

Pattern questions: the five questions the pain-pattern screen replaces are folded into it
(a yes to any of them is a yes to the new question):
improves with exercise (ASAS) and improves with movement (NG65) -> pain eases with movement;
no improvement with rest (ASAS) -> rest does not ease the pain; night pain improving on
getting up (ASAS) and waking in the second half of the night (NG65) -> night pain in the second
half of the night that eases on getting up. Stiffness on waking is new and left unanswered.

Red flags: a ticked box (True) becomes "yes". An unticked box (False) could mean "no" or
"never asked": it becomes "not asked", so a draft has to ask it again (or record why not)
before it can be completed. Completed assessments keep their signed snapshots.
"""

import django.core.validators
from django.db import migrations, models

RED_FLAGS = [
    "rf_saddle_anaesthesia",
    "rf_bladder_bowel_dysfunction",
    "rf_bilateral_or_progressive_leg_weakness",
    "rf_fever",
    "rf_unexplained_weight_loss",
    "rf_history_of_cancer",
    "rf_immunosuppression",
    "rf_iv_drug_use",
    "rf_significant_trauma",
    "rf_osteoporosis_or_steroids",
    "rf_progressive_neuro_deficit",
    "rf_night_pain",
    "rf_failure_to_improve",
]
REPLACED = {
    "asas_improves_with_exercise": "pain_eases_with_movement",
    "ng65_improves_with_movement": "pain_eases_with_movement",
    "asas_no_improvement_with_rest": "pain_returns_after_rest",
    "asas_night_pain_improves_on_rising": "night_pain_eases_on_rising",
    "ng65_waking_second_half_night": "night_pain_eases_on_rising",
}


def map_answers(apps, schema_editor):
    for name in ("WorkerSection", "HistoricalWorkerSection"):
        model = apps.get_model("records", name)
        for row in model.objects.all().iterator():
            for old, new in REPLACED.items():
                if getattr(row, old):
                    setattr(row, new, True)
            for field in RED_FLAGS:
                setattr(row, f"{field}_answer", "yes" if getattr(row, field) else "not_asked")
            row.save(
                update_fields=[
                    *set(REPLACED.values()),
                    *(f"{field}_answer" for field in RED_FLAGS),
                ]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_not_assessable_band_statements_sitting_location"),
    ]

    operations = [
        migrations.AddField(
            model_name="workersection",
            name="night_pain_eases_on_rising",
            field=models.BooleanField(
                default=False,
                verbose_name="night pain in the second half of the night that eases on getting up",
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="morning_stiffness_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(1440)],
                verbose_name="stiffness on waking, minutes",
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="red_flags_not_asked_reason",
            field=models.TextField(
                blank=True,
                default="",
                max_length=500,
                verbose_name="why some red-flag questions were not asked",
            ),
        ),
        migrations.AlterField(
            model_name="workersection",
            name="pain_eases_with_movement",
            field=models.BooleanField(
                default=False, verbose_name="pain eases with movement or exercise"
            ),
        ),
        migrations.AlterField(
            model_name="workersection",
            name="pain_returns_after_rest",
            field=models.BooleanField(default=False, verbose_name="rest does not ease the pain"),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_saddle_anaesthesia_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_bladder_bowel_dysfunction_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_bilateral_or_progressive_leg_weakness_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_fever_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_unexplained_weight_loss_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_history_of_cancer_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_immunosuppression_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_iv_drug_use_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_significant_trauma_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_osteoporosis_or_steroids_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_progressive_neuro_deficit_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_night_pain_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="workersection",
            name="rf_failure_to_improve_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="night_pain_eases_on_rising",
            field=models.BooleanField(
                default=False,
                verbose_name="night pain in the second half of the night that eases on getting up",
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="morning_stiffness_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(1440)],
                verbose_name="stiffness on waking, minutes",
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="red_flags_not_asked_reason",
            field=models.TextField(
                blank=True,
                default="",
                max_length=500,
                verbose_name="why some red-flag questions were not asked",
            ),
        ),
        migrations.AlterField(
            model_name="historicalworkersection",
            name="pain_eases_with_movement",
            field=models.BooleanField(
                default=False, verbose_name="pain eases with movement or exercise"
            ),
        ),
        migrations.AlterField(
            model_name="historicalworkersection",
            name="pain_returns_after_rest",
            field=models.BooleanField(default=False, verbose_name="rest does not ease the pain"),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_saddle_anaesthesia_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_bladder_bowel_dysfunction_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_bilateral_or_progressive_leg_weakness_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_fever_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_unexplained_weight_loss_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_history_of_cancer_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_immunosuppression_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_iv_drug_use_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_significant_trauma_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_osteoporosis_or_steroids_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_progressive_neuro_deficit_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_night_pain_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="historicalworkersection",
            name="rf_failure_to_improve_answer",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")],
                default="not_asked",
                max_length=9,
            ),
        ),
        migrations.RunPython(map_answers, migrations.RunPython.noop),
        migrations.RemoveField(model_name="workersection", name="asas_improves_with_exercise"),
        migrations.RemoveField(model_name="workersection", name="ng65_improves_with_movement"),
        migrations.RemoveField(model_name="workersection", name="asas_no_improvement_with_rest"),
        migrations.RemoveField(
            model_name="workersection", name="asas_night_pain_improves_on_rising"
        ),
        migrations.RemoveField(model_name="workersection", name="ng65_waking_second_half_night"),
        migrations.RemoveField(model_name="workersection", name="rf_saddle_anaesthesia"),
        migrations.RemoveField(model_name="workersection", name="rf_bladder_bowel_dysfunction"),
        migrations.RemoveField(
            model_name="workersection", name="rf_bilateral_or_progressive_leg_weakness"
        ),
        migrations.RemoveField(model_name="workersection", name="rf_fever"),
        migrations.RemoveField(model_name="workersection", name="rf_unexplained_weight_loss"),
        migrations.RemoveField(model_name="workersection", name="rf_history_of_cancer"),
        migrations.RemoveField(model_name="workersection", name="rf_immunosuppression"),
        migrations.RemoveField(model_name="workersection", name="rf_iv_drug_use"),
        migrations.RemoveField(model_name="workersection", name="rf_significant_trauma"),
        migrations.RemoveField(model_name="workersection", name="rf_osteoporosis_or_steroids"),
        migrations.RemoveField(model_name="workersection", name="rf_progressive_neuro_deficit"),
        migrations.RemoveField(model_name="workersection", name="rf_night_pain"),
        migrations.RemoveField(model_name="workersection", name="rf_failure_to_improve"),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_saddle_anaesthesia_answer",
            new_name="rf_saddle_anaesthesia",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_bladder_bowel_dysfunction_answer",
            new_name="rf_bladder_bowel_dysfunction",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_bilateral_or_progressive_leg_weakness_answer",
            new_name="rf_bilateral_or_progressive_leg_weakness",
        ),
        migrations.RenameField(
            model_name="workersection", old_name="rf_fever_answer", new_name="rf_fever"
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_unexplained_weight_loss_answer",
            new_name="rf_unexplained_weight_loss",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_history_of_cancer_answer",
            new_name="rf_history_of_cancer",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_immunosuppression_answer",
            new_name="rf_immunosuppression",
        ),
        migrations.RenameField(
            model_name="workersection", old_name="rf_iv_drug_use_answer", new_name="rf_iv_drug_use"
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_significant_trauma_answer",
            new_name="rf_significant_trauma",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_osteoporosis_or_steroids_answer",
            new_name="rf_osteoporosis_or_steroids",
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_progressive_neuro_deficit_answer",
            new_name="rf_progressive_neuro_deficit",
        ),
        migrations.RenameField(
            model_name="workersection", old_name="rf_night_pain_answer", new_name="rf_night_pain"
        ),
        migrations.RenameField(
            model_name="workersection",
            old_name="rf_failure_to_improve_answer",
            new_name="rf_failure_to_improve",
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="asas_improves_with_exercise"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="ng65_improves_with_movement"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="asas_no_improvement_with_rest"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="asas_night_pain_improves_on_rising"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="ng65_waking_second_half_night"
        ),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_saddle_anaesthesia"),
        migrations.RemoveField(
            model_name="historicalworkersection", name="rf_bladder_bowel_dysfunction"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="rf_bilateral_or_progressive_leg_weakness"
        ),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_fever"),
        migrations.RemoveField(
            model_name="historicalworkersection", name="rf_unexplained_weight_loss"
        ),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_history_of_cancer"),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_immunosuppression"),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_iv_drug_use"),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_significant_trauma"),
        migrations.RemoveField(
            model_name="historicalworkersection", name="rf_osteoporosis_or_steroids"
        ),
        migrations.RemoveField(
            model_name="historicalworkersection", name="rf_progressive_neuro_deficit"
        ),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_night_pain"),
        migrations.RemoveField(model_name="historicalworkersection", name="rf_failure_to_improve"),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_saddle_anaesthesia_answer",
            new_name="rf_saddle_anaesthesia",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_bladder_bowel_dysfunction_answer",
            new_name="rf_bladder_bowel_dysfunction",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_bilateral_or_progressive_leg_weakness_answer",
            new_name="rf_bilateral_or_progressive_leg_weakness",
        ),
        migrations.RenameField(
            model_name="historicalworkersection", old_name="rf_fever_answer", new_name="rf_fever"
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_unexplained_weight_loss_answer",
            new_name="rf_unexplained_weight_loss",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_history_of_cancer_answer",
            new_name="rf_history_of_cancer",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_immunosuppression_answer",
            new_name="rf_immunosuppression",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_iv_drug_use_answer",
            new_name="rf_iv_drug_use",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_significant_trauma_answer",
            new_name="rf_significant_trauma",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_osteoporosis_or_steroids_answer",
            new_name="rf_osteoporosis_or_steroids",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_progressive_neuro_deficit_answer",
            new_name="rf_progressive_neuro_deficit",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_night_pain_answer",
            new_name="rf_night_pain",
        ),
        migrations.RenameField(
            model_name="historicalworkersection",
            old_name="rf_failure_to_improve_answer",
            new_name="rf_failure_to_improve",
        ),
    ]
