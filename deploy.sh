#!/usr/bin/env bash
# Deploys Panel One to Cloud Run: builds both images with Cloud Build
# (cloudbuild.yaml), deploys the public API and the private worker, opens the
# API to everyone and prints its URL.
#
# Usage, from the repository root:  ./deploy.sh [--enable-apis]
#
# Settings come from the environment, then from .env (the environment wins, as
# with dotenv). Needed: PROJECT_ID, BUCKET_NAME. Optional: REGION,
# ARTIFACT_REPOSITORY, API_SERVICE, WORKER_SERVICE, GEMINI_STORY_MODEL,
# GEMINI_IMAGE_MODEL (the worker's models; defaults in cloudbuild.yaml),
# PANEL_GEMINI_PHOTOS (register, the default here: Gemini reads each job's photos
# from the bucket, and its service agent is granted read access to it; or upload:
# README, "Photos: registered or uploaded").
#
# Secrets: the services read GEMINI_API_KEY and REDIS_URL from the Secret
# Manager secrets gemini-api-key and redis-url. A secret that already exists is
# used as it is (rotate it with `gcloud secrets versions add`). A missing one is
# created from GEMINI_API_KEY / REDIS_URL, and REDIS_URL must then be a TLS
# rediss:// URL: the redis://localhost a laptop's .env holds would be useless
# on Cloud Run. Key mode: when the secret panel-api-keys exists, the API gets
# it as PANEL_API_KEYS on every deploy (deploy.sh never creates it).
#
# Only bash builtins and gcloud are used, so nothing else has to be installed.
set -euo pipefail

readonly GEMINI_SECRET=gemini-api-key
readonly REDIS_SECRET=redis-url
readonly API_KEYS_SECRET=panel-api-keys
# Each service runs as its own service account (cloudbuild.yaml: _API_SA_NAME, _WORKER_SA_NAME), never as the
# Compute Engine default account (often Editor on the whole project).
readonly API_ACCOUNT=panel-one-api
readonly WORKER_ACCOUNT=panel-one-worker
readonly APIS=(run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com
  secretmanager.googleapis.com storage.googleapis.com generativelanguage.googleapis.com)

fail() {
  printf 'deploy.sh: %s\n' "$@" >&2
  exit 1
}

info() {
  printf '==> %s\n' "$*"
}

usage() {
  printf 'usage: ./deploy.sh [--enable-apis]\n'
}

enable_apis=false
for arg in "$@"; do
  case "$arg" in
    --enable-apis) enable_apis=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument: $arg" ;;
  esac
done

# Cloud Build uploads the current directory, so anywhere else would build the
# wrong thing (or nothing).
for f in cloudbuild.yaml Dockerfile Dockerfile.worker pom.xml; do
  if [[ ! -f "$f" ]]; then
    script_dir=.
    if [[ "${BASH_SOURCE[0]}" == */* ]]; then
      script_dir=${BASH_SOURCE[0]%/*}
    fi
    fail "run me from the repository root (no $f in $PWD)." \
      "Try: cd '$script_dir' && ./deploy.sh"
  fi
done

# Reads KEY=VALUE lines; blank lines and # comments are skipped, an optional
# `export ` prefix and surrounding quotes are dropped. Not `source`: values such
# as `[YOUR KEY HERE]` are not shell syntax, and .env should not run code.
# A variable already in the environment is kept; within the file the last line
# wins. (A plain list, not an associative array, so macOS's bash 3.2 copes.)
load_env_file() {
  local file=$1 line key value from_env=" " seen=" "
  while IFS= read -r line || [[ -n "$line" ]]; do
    line=${line%$'\r'}
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    if [[ -n "${!key+set}" && "$seen" != *" $key "* ]]; then
      from_env+="$key "
    fi
    seen+="$key "
    if [[ "$from_env" != *" $key "* ]]; then
      printf -v "$key" '%s' "$value"
      export "${key?}"
    fi
  done <"$file"
}

if [[ -f .env ]]; then
  load_env_file .env
fi

# Empty or still the .env.example placeholder ("[YOUR ... HERE]").
is_unset() {
  local value=${!1:-}
  [[ -z "$value" || "$value" =~ ^\[.*\]$ ]]
}

missing=()
for var in PROJECT_ID BUCKET_NAME; do
  if is_unset "$var"; then
    missing+=("$var")
  fi
done
if ((${#missing[@]} > 0)); then
  hint="set them in .env (copy .env.example) or in the environment."
  [[ -f .env ]] || hint="no .env here: cp .env.example .env, then fill it in."
  fail "missing settings: ${missing[*]}" "$hint"
fi

REGION=${REGION:-us-central1}
ARTIFACT_REPOSITORY=${ARTIFACT_REPOSITORY:-panel-one}
API_SERVICE=${API_SERVICE:-panel-one-api}
WORKER_SERVICE=${WORKER_SERVICE:-panel-one-worker}
GEMINI_STORY_MODEL=${GEMINI_STORY_MODEL:-gemini-3.1-pro-preview}
GEMINI_IMAGE_MODEL=${GEMINI_IMAGE_MODEL:-gemini-3-pro-image}
PANEL_GEMINI_PHOTOS=${PANEL_GEMINI_PHOTOS:-register}
if [[ "$PANEL_GEMINI_PHOTOS" != register && "$PANEL_GEMINI_PHOTOS" != upload ]]; then
  fail "PANEL_GEMINI_PHOTOS must be register or upload, not '$PANEL_GEMINI_PHOTOS'."
fi

if ! command -v gcloud >/dev/null 2>&1; then
  fail "gcloud not found on PATH." \
    "Install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install), then run: gcloud auth login"
fi

account=$(gcloud auth list --filter=status:ACTIVE --format='value(account)')
if [[ -z "$account" ]]; then
  fail "gcloud has no active account. Run: gcloud auth login"
fi

info "Deploying to project $PROJECT_ID, region $REGION, bucket $BUCKET_NAME as $account"

if [[ "$enable_apis" == true ]]; then
  info "Enabling APIs: ${APIS[*]}"
  gcloud services enable "${APIS[@]}" --project="$PROJECT_ID"
fi

secret_exists() {
  gcloud secrets describe "$1" --project="$PROJECT_ID" >/dev/null 2>&1
}

# The value goes through stdin, so it never shows in a process listing.
create_secret() {
  local name=$1 value=$2
  info "Creating secret $name"
  printf '%s' "$value" | gcloud secrets create "$name" --project="$PROJECT_ID" \
    --replication-policy=automatic --data-file=-
}

gemini_secret_exists=false
redis_secret_exists=false
secret_exists "$GEMINI_SECRET" && gemini_secret_exists=true
secret_exists "$REDIS_SECRET" && redis_secret_exists=true

problems=()
if [[ "$gemini_secret_exists" == false ]] && is_unset GEMINI_API_KEY; then
  problems+=("secret $GEMINI_SECRET does not exist and GEMINI_API_KEY is not set to create it")
fi
if [[ "$redis_secret_exists" == false ]]; then
  if is_unset REDIS_URL; then
    problems+=("secret $REDIS_SECRET does not exist and REDIS_URL is not set to create it")
  elif [[ "$REDIS_URL" != rediss://* ]]; then
    problems+=("secret $REDIS_SECRET does not exist and REDIS_URL is not a rediss:// (TLS) URL; set REDIS_URL to the production (e.g. Upstash) URL or create the secret yourself")
  fi
fi
# Checked together so one run names everything that is missing.
if ((${#problems[@]} > 0)); then
  fail "${problems[@]}"
fi

# The push in cloudbuild.yaml fails on a repository that does not exist.
if ! gcloud artifacts repositories describe "$ARTIFACT_REPOSITORY" \
  --project="$PROJECT_ID" --location="$REGION" >/dev/null 2>&1; then
  info "Creating Artifact Registry repository $ARTIFACT_REPOSITORY in $REGION"
  gcloud artifacts repositories create "$ARTIFACT_REPOSITORY" --project="$PROJECT_ID" \
    --location="$REGION" --repository-format=docker --description="Panel One images"
fi

if [[ "$gemini_secret_exists" == false ]]; then
  create_secret "$GEMINI_SECRET" "$GEMINI_API_KEY"
fi
if [[ "$redis_secret_exists" == false ]]; then
  create_secret "$REDIS_SECRET" "$REDIS_URL"
fi

# Least privilege (README, "Service accounts and IAM"). The API writes and deletes photos under inputs/ (it drops
# the photos of a refused request): Storage Object User on the bucket. The worker reads and deletes inputs/ and
# writes public panels under outputs/ (a predefined ACL needs setIamPolicy on the object): Storage Object Admin on
# the bucket. Neither gets anything project-wide. Prefix conditions (inputs/ only) need uniform bucket-level
# access, which public panels rule out. Each reads only its own secrets.
api_sa="$API_ACCOUNT@$PROJECT_ID.iam.gserviceaccount.com"
worker_sa="$WORKER_ACCOUNT@$PROJECT_ID.iam.gserviceaccount.com"

ensure_service_account() {
  local name=$1 description=$2
  if ! gcloud iam service-accounts describe "$name@$PROJECT_ID.iam.gserviceaccount.com" \
    --project="$PROJECT_ID" >/dev/null 2>&1; then
    info "Creating service account $name"
    gcloud iam service-accounts create "$name" --project="$PROJECT_ID" --display-name="$description"
  fi
}

grant_on_bucket() {
  gcloud storage buckets add-iam-policy-binding "gs://$BUCKET_NAME" --project="$PROJECT_ID" \
    --member="serviceAccount:$1" --role="$2" >/dev/null
}

grant_secret() {
  gcloud secrets add-iam-policy-binding "$1" --project="$PROJECT_ID" \
    --member="serviceAccount:$2" --role=roles/secretmanager.secretAccessor >/dev/null
}

if ! gcloud storage buckets describe "gs://$BUCKET_NAME" --project="$PROJECT_ID" >/dev/null 2>&1; then
  fail "bucket $BUCKET_NAME does not exist or is not visible to $account." \
    "Create it first: java -jar target/panel-one.jar setup (README, Deploy to Cloud Run, step 5)."
fi

ensure_service_account "$API_ACCOUNT" "Panel One API"
ensure_service_account "$WORKER_ACCOUNT" "Panel One worker"
info "Granting each service account only what its service needs"
grant_on_bucket "$api_sa" roles/storage.objectUser
grant_on_bucket "$worker_sa" roles/storage.objectAdmin
if [[ "$PANEL_GEMINI_PHOTOS" == register ]]; then
  # Gemini reads each job's photos from the bucket itself (README, "Photos: registered or uploaded"): the Gemini
  # API's service agent (Google's, created with the API) may read this bucket's objects, nothing else. The worker
  # registers them with its own identity's token, which needs nothing beyond its role above.
  gemini_agent=$(gcloud beta services identity create --service=generativelanguage.googleapis.com \
    --project="$PROJECT_ID" --format='value(email)')
  if [[ -z "$gemini_agent" ]]; then
    fail "could not find the Gemini API's service agent in $PROJECT_ID." \
      "Enable the API (./deploy.sh --enable-apis), or set PANEL_GEMINI_PHOTOS=upload in .env."
  fi
  grant_on_bucket "$gemini_agent" roles/storage.objectViewer
fi
grant_secret "$REDIS_SECRET" "$api_sa"
grant_secret "$REDIS_SECRET" "$worker_sa"
grant_secret "$GEMINI_SECRET" "$worker_sa"
# Key mode lives in Secret Manager, not in the service: --set-secrets in cloudbuild.yaml replaces every secret of the
# API at each deploy, so a PANEL_API_KEYS added by hand (gcloud run services update) would silently fall back to
# open mode at the next ./deploy.sh. When the secret exists, the API always gets it.
api_secrets="REDIS_URL=$REDIS_SECRET:latest"
if secret_exists "$API_KEYS_SECRET"; then
  grant_secret "$API_KEYS_SECRET" "$api_sa"
  api_secrets+=",PANEL_API_KEYS=$API_KEYS_SECRET:latest"
  info "Key mode: the API reads PANEL_API_KEYS from secret $API_KEYS_SECRET"
else
  info "Open mode: no secret $API_KEYS_SECRET, so the API accepts any client token (README, Security)"
fi

# Cloud Build deploys the services as these accounts, so its own account must be allowed to act as them.
build_sa=$(gcloud builds get-default-service-account --project="$PROJECT_ID" \
  --format='value(serviceAccountEmail)' 2>/dev/null || true)
build_sa=${build_sa##*/}
if [[ -n "$build_sa" ]]; then
  for sa in "$api_sa" "$worker_sa"; do
    gcloud iam service-accounts add-iam-policy-binding "$sa" --project="$PROJECT_ID" \
      --member="serviceAccount:$build_sa" --role=roles/iam.serviceAccountUser >/dev/null
  done
else
  info "Could not tell Cloud Build's service account; it needs roles/iam.serviceAccountUser on $api_sa and $worker_sa"
fi

info "Building and deploying with Cloud Build"
# "^|^" makes | the separator between substitutions (gcloud topic escaping): _API_SECRETS holds a comma.
gcloud builds submit . --project="$PROJECT_ID" --config=cloudbuild.yaml \
  --substitutions="^|^_REGION=$REGION|_REPOSITORY=$ARTIFACT_REPOSITORY|_BUCKET_NAME=$BUCKET_NAME|_API_SERVICE=$API_SERVICE|_WORKER_SERVICE=$WORKER_SERVICE|_GEMINI_STORY_MODEL=$GEMINI_STORY_MODEL|_GEMINI_IMAGE_MODEL=$GEMINI_IMAGE_MODEL|_GEMINI_PHOTOS=$PANEL_GEMINI_PHOTOS|_API_SECRETS=$api_secrets"

# --allow-unauthenticated at deploy time can be silently skipped (the build's
# identity may lack setIamPolicy), which leaves a public API answering 403.
info "Granting roles/run.invoker to allUsers on $API_SERVICE"
if ! gcloud run services add-iam-policy-binding "$API_SERVICE" --project="$PROJECT_ID" \
  --region="$REGION" --member=allUsers --role=roles/run.invoker; then
  fail "could not make $API_SERVICE public." \
    "An organisation policy (iam.allowedPolicyMemberDomains) may forbid allUsers in this project."
fi

url=$(gcloud run services describe "$API_SERVICE" --project="$PROJECT_ID" \
  --region="$REGION" --format='value(status.url)')
if [[ -z "$url" ]]; then
  fail "$API_SERVICE has no URL yet; check: gcloud run services describe $API_SERVICE --region=$REGION"
fi

printf '\nPanel One API: %s\n' "$url"
printf 'Check it:      curl %s/health\n' "$url"
