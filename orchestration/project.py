"""The dbt project as Dagster sees it. The manifest is prepared at install time
(`dagster-dbt project prepare-and-package --file orchestration/project.py`), never on import."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
dbt_project.prepare_if_dev()
