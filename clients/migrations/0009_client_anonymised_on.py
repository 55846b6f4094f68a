from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0008_office_search_index")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="anonymised_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="anonymised on"
            ),
        ),
    ]
