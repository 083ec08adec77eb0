#!/bin/bash
# One Slurm array task per part of a large export: the parts never overlap.
#SBATCH --job-name=deident
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
set -euo pipefail
export DEIDENT_KEY_FILE=/secure/project.key
deident pseudonymize /shared/export "/shared/pseudo-part-${SLURM_ARRAY_TASK_ID}" \
    --shard "${SLURM_ARRAY_TASK_ID}/8" --workers "${SLURM_CPUS_PER_TASK}" --no-progress
