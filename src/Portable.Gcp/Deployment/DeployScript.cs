using System.Globalization;
using System.Text;
using Portable.Hosting;

namespace Portable.Gcp.Deployment;

/// <summary>
/// Writes <c>deploy.sh</c> from the function catalog: a bash script (<c>set -euo pipefail</c>, shellcheck-clean) that builds the
/// published folder into one image with Cloud Build and deploys one private Cloud Run service per function from it, each with its
/// own service account holding roles on what the function uses only (<see cref="FunctionDefinition.Uses"/>), its settings
/// (<see cref="FunctionDefinition.Settings"/>) and the app's secrets as Secret Manager references; then the Pub/Sub topics, a push
/// subscription with OIDC and a dead-letter topic per queue and topic function, a Cloud Scheduler job per schedule and an Eventarc
/// trigger per event function, called through one invoker account. Every resource is described before it is created, so running
/// it again changes nothing that is already there (subscriptions, jobs and triggers are updated to the script's settings).
/// </summary>
internal static class DeployScript
{
    /// <summary>Deliveries of a message before Pub/Sub moves it to the dead-letter topic: 5, as SQS's <c>maxReceiveCount</c> on AWS.</summary>
    public const int MaxDeliveryAttempts = 5;

    /// <summary>Cloud Run's default number of requests an instance takes at once, written out so the file says it.</summary>
    public const int RequestsPerInstance = 80;

    /// <summary>Pub/Sub's longest acknowledgement deadline, for a push subscription the longest it waits for the answer.</summary>
    public const int MaxAckDeadlineSeconds = 600;

    /// <summary>Writes the script.</summary>
    /// <param name="catalog">The app's catalog.</param>
    /// <param name="secrets">The declared secrets (configuration keys), each wired as <c>--set-secrets NAME=SECRET_ID:latest</c>.</param>
    public static string Build(FunctionCatalog catalog, IReadOnlyList<string> secrets)
    {
        var names = new GcpNames(catalog);
        var functions = catalog.Functions;
        var pushed = functions.Where(f => f.Trigger.Kind is TriggerKind.Queue or TriggerKind.Topic).ToList();
        var scheduled = functions.Where(f => f.Trigger.Kind == TriggerKind.Schedule).ToList();
        var events = functions.Where(f => f.Trigger.Kind is TriggerKind.Event or TriggerKind.Blob).ToList();
        var buckets = catalog.Buckets.Concat(functions.SelectMany(f => f.Uses.Buckets))
            .Concat(functions.Where(f => f.Trigger.Kind == TriggerKind.Blob).Select(f => f.Trigger.Name!))
            .Distinct(StringComparer.Ordinal).ToList();
        var triggered = pushed.Count + scheduled.Count + events.Count > 0;
        var privateHttp = functions.Any(f => f.Trigger.Kind == TriggerKind.Http && f.Settings.Access != FunctionAccess.Anonymous);
        var topics = catalog.Queues.Select(q => q.Name).Concat(catalog.Topics).Distinct(StringComparer.Ordinal).ToList();

        var s = new StringBuilder();
        Header(s, catalog, names, secrets, scheduled.Count > 0, events, catalog.Repositories.Count > 0, privateHttp);
        s.AppendLine("set -euo pipefail");
        s.AppendLine();
        Helpers(s, topics.Count > 0, catalog.Repositories.Count > 0 || triggered, secrets.Count > 0, privateHttp, pushed.Count > 0, scheduled.Count > 0, events.Count > 0);
        if (buckets.Count > 0) BucketHelpers(s);
        Inputs(s, secrets, scheduled.Count > 0, events.Count > 0);
        Apis(s, catalog, secrets, pushed.Count > 0 || topics.Count > 0, scheduled.Count > 0, events.Count > 0, buckets.Count > 0,
            signing: functions.Any(f => f.Uses.Buckets.Count > 0));
        Secrets(s, secrets);
        Image(s, names);
        if (catalog.Repositories.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(Inv($"step \"Firestore (collections: {string.Join(", ", catalog.Repositories.Select(r => r.Name))})\""));
            s.AppendLine("exists gcloud firestore databases describe --database '(default)' --project \"$PROJECT\" \\");
            s.AppendLine("  || gcloud firestore databases create --database '(default)' --location \"${FIRESTORE_LOCATION:-$REGION}\" --type firestore-native --project \"$PROJECT\"");
        }

        if (buckets.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("step \"Cloud Storage buckets: PROJECT-NAME, since bucket names are global (the app maps them back to NAME)\"");
            foreach (var bucket in buckets) s.AppendLine(Inv($"bucket \"{BucketName(bucket)}\""));
            if (functions.Any(f => f.Trigger.Kind == TriggerKind.Blob))
            {
                s.AppendLine("# Eventarc's Cloud Storage triggers need the project's Cloud Storage service agent to publish to Pub/Sub (as Google documents).");
                s.AppendLine("storage_project_number=\"$(gcloud projects describe \"$PROJECT\" --format 'value(projectNumber)')\"");
                s.AppendLine("[ -n \"$storage_project_number\" ] || fail \"gcloud gave no project number for $PROJECT.\"");
                s.AppendLine("storage_agent=\"service-$storage_project_number@gs-project-accounts.iam.gserviceaccount.com\"");
                s.AppendLine("grant_project roles/pubsub.publisher \"$storage_agent\"");
            }
        }

        if (topics.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("step \"Pub/Sub topics\"");
            foreach (var topic in topics) s.AppendLine("topic " + Sh(topic));
        }

        if (triggered) Invoker(s, names, pushed.Count > 0, events.Count > 0);
        foreach (var function in functions) Function(s, catalog, function, names, secrets);

        s.AppendLine();
        s.AppendLine("step \"done\"");
        s.AppendLine(Inv($"echo \"{catalog.AppName} ({ShEscapeDouble(string.Join(", ", functions.Select(f => f.Name)))}) is deployed to $PROJECT in $REGION ($ENVIRONMENT) from $IMAGE.\""));
        foreach (var function in functions.Where(f => f.Trigger.Kind == TriggerKind.Http))
        {
            s.AppendLine(Inv($"echo \"  {function.Name}: {function.Trigger.Method} $(service_url {names.Service(function)}){ShEscapeDouble(function.Trigger.Route!)}\""));
        }

        return s.ToString();
    }

    /// <summary>The bash variable that holds a secret's Secret Manager id, and the environment variable that overrides it.</summary>
    public static (string Variable, string Override) SecretVariables(string secret)
    {
        var key = new string(secret.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return ("secret_" + key, "SECRET_" + key);
    }

    /// <summary>The environment variable that adds Eventarc filters to an event function's trigger (such as <c>bucket=my-bucket</c>).</summary>
    public static string EventFiltersVariable(FunctionDefinition function)
        => "EVENT_FILTERS_" + new string(function.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>How long Pub/Sub waits for a push answer: the function's timeout and 10 s more, at most 600 s.</summary>
    public static int AckDeadline(FunctionDefinition function) => Math.Clamp((int)function.Settings.Timeout.TotalSeconds + 10, 10, MaxAckDeadlineSeconds);

    /// <summary>Cloud Run's CPU for the memory: more than 4 GiB needs 2, more than 8 GiB 4.</summary>
    public static int Cpu(int memoryMb) => memoryMb > 8192 ? 4 : memoryMb > 4096 ? 2 : 1;

    /// <summary>True when an event type can be an Eventarc <c>type</c> filter, which matches exactly (no wildcard).</summary>
    public static bool IsExactEventType(string eventType) => eventType.Length > 0 && !eventType.Contains('*', StringComparison.Ordinal);

    private static void Header(StringBuilder s, FunctionCatalog catalog, GcpNames names, IReadOnlyList<string> secrets, bool schedules, IReadOnlyList<FunctionDefinition> events, bool repositories, bool privateHttp)
    {
        s.AppendLine("#!/usr/bin/env bash");
        s.AppendLine(Inv($"# Deploys {catalog.AppName} to Google Cloud: one Cloud Run service per function, built once from this folder."));
        s.AppendLine("# Generated by Portable.Gcp from the app's function catalog at publish (--write-deployment): publish again rather than edit");
        s.AppendLine("# it. gcp-deploy.md beside it says what it creates and why.");
        s.AppendLine("#");
        s.AppendLine("#   PROJECT=my-project REGION=europe-west1 bash deploy.sh");
        s.AppendLine("#");
        s.AppendLine("# Inputs (environment variables):");
        s.AppendLine("#   PROJECT      required: the Google Cloud project id.");
        s.AppendLine("#   REGION       required: where the services, the image repository and the jobs go, such as europe-west1.");
        s.AppendLine("#   ENVIRONMENT  the app's DOTNET_ENVIRONMENT (it reads appsettings.{ENVIRONMENT}.json); Production unless set.");
        s.AppendLine(Inv($"#   IMAGE        an image to deploy as it is; unless set, this folder is built once into REGION-docker.pkg.dev/PROJECT/REPOSITORY/{names.App}:TAG."));
        s.AppendLine("#   REPOSITORY   the Artifact Registry repository of that image; portable unless set.");
        s.AppendLine("#   TAG          the image tag; the UTC time unless set.");
        if (privateHttp) s.AppendLine("#   INVOKERS     IAM members allowed to call the private HTTP functions, comma-separated (user:ada@example.com,group:ops@example.com).");
        foreach (var secret in secrets)
        {
            var (_, overrideVariable) = SecretVariables(secret);
            s.AppendLine(Inv($"#   {overrideVariable}  the Secret Manager secret behind {secret}; {secret} unless set."));
        }

        if (repositories) s.AppendLine("#   FIRESTORE_LOCATION  where the Firestore database is created if there is none; REGION unless set.");
        if (schedules) s.AppendLine("#   SCHEDULER_LOCATION  where the Cloud Scheduler jobs go; REGION unless set.");
        if (events.Count > 0)
        {
            s.AppendLine("#   EVENTARC_LOCATION   where the Eventarc triggers go (a Cloud Storage trigger's must be its bucket's); REGION unless set.");
            foreach (var function in events) s.AppendLine(Inv($"#   {EventFiltersVariable(function)}  more Eventarc filters for {function.Name}, comma-separated (bucket=my-bucket)."));
        }

        s.AppendLine("# Running it again is safe: each resource is described first and created only when missing; subscriptions, jobs and");
        s.AppendLine("# triggers are updated to this script's settings; role bindings are added, never removed.");
    }

    private static void Helpers(StringBuilder s, bool topics, bool projectRoles, bool secrets, bool privateHttp, bool pushed, bool scheduled, bool events)
    {
        s.AppendLine("fail() { printf 'deploy.sh: %s\\n' \"$*\" >&2; exit 1; }");
        s.AppendLine("step() { printf '\\n== %s\\n' \"$*\"; }");
        s.AppendLine();
        s.AppendLine("# Succeeds when the describe command finds the resource. Any failure counts as missing (not found, or not allowed to see");
        s.AppendLine("# it): the create that follows then fails with gcloud's own message.");
        s.AppendLine("exists() { \"$@\" --format none >/dev/null 2>&1; }");
        s.AppendLine();
        s.AppendLine("# Runs a command again 5, 10 and 15 s later when it fails: IAM can take a few seconds to know a service account just created.");
        s.AppendLine("retry() {");
        s.AppendLine("  local attempt");
        s.AppendLine("  for attempt in 1 2 3; do");
        s.AppendLine("    \"$@\" && return 0");
        s.AppendLine("    printf 'deploy.sh: failed, trying again in %s s: %s\\n' \"$((attempt * 5))\" \"$*\" >&2");
        s.AppendLine("    sleep \"$((attempt * 5))\"");
        s.AppendLine("  done");
        s.AppendLine("  \"$@\" || fail \"gave up after 4 attempts: $*\"");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("# account ID DISPLAY-NAME: a service account.");
        s.AppendLine("account() {");
        s.AppendLine("  exists gcloud iam service-accounts describe \"$1@$PROJECT.iam.gserviceaccount.com\" --project \"$PROJECT\" \\");
        s.AppendLine("    || gcloud iam service-accounts create \"$1\" --project \"$PROJECT\" --display-name \"$2\"");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("# service_url SERVICE: the URL Cloud Run gave the service.");
        s.AppendLine("service_url() {");
        s.AppendLine("  local url");
        s.AppendLine("  url=\"$(gcloud run services describe \"$1\" --project \"$PROJECT\" --region \"$REGION\" --format 'value(status.url)')\"");
        s.AppendLine("  [ -n \"$url\" ] || fail \"Cloud Run gave no URL for $1.\"");
        s.AppendLine("  printf '%s' \"$url\"");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("# grant_invoker SERVICE MEMBER: the member may call the private service.");
        s.AppendLine("grant_invoker() {");
        s.AppendLine("  retry gcloud run services add-iam-policy-binding \"$1\" --project \"$PROJECT\" --region \"$REGION\" --member \"$2\" --role roles/run.invoker >/dev/null");
        s.AppendLine("}");
        if (projectRoles)
        {
            s.AppendLine();
            s.AppendLine("# grant_project ROLE ACCOUNT-EMAIL: a role on the whole project, for services that have no finer IAM.");
            s.AppendLine("grant_project() {");
            s.AppendLine("  retry gcloud projects add-iam-policy-binding \"$PROJECT\" --member \"serviceAccount:$2\" --role \"$1\" --condition None >/dev/null");
            s.AppendLine("}");
        }

        if (topics)
        {
            s.AppendLine();
            s.AppendLine("# topic NAME: a Pub/Sub topic.");
            s.AppendLine("topic() {");
            s.AppendLine("  exists gcloud pubsub topics describe \"$1\" --project \"$PROJECT\" || gcloud pubsub topics create \"$1\" --project \"$PROJECT\"");
            s.AppendLine("}");
            s.AppendLine();
            s.AppendLine("# grant_publisher TOPIC ACCOUNT-EMAIL: the account may publish to that topic only.");
            s.AppendLine("grant_publisher() {");
            s.AppendLine("  retry gcloud pubsub topics add-iam-policy-binding \"$1\" --project \"$PROJECT\" --member \"serviceAccount:$2\" --role roles/pubsub.publisher >/dev/null");
            s.AppendLine("}");
        }

        if (secrets)
        {
            s.AppendLine();
            s.AppendLine("# grant_secret SECRET-ID ACCOUNT-EMAIL: the account may read that secret's versions only.");
            s.AppendLine("grant_secret() {");
            s.AppendLine("  retry gcloud secrets add-iam-policy-binding \"$1\" --project \"$PROJECT\" --member \"serviceAccount:$2\" --role roles/secretmanager.secretAccessor >/dev/null");
            s.AppendLine("}");
        }

        if (privateHttp)
        {
            s.AppendLine();
            s.AppendLine("# invokers SERVICE: each member of INVOKERS may call the private HTTP service; without INVOKERS no one is granted (yet).");
            s.AppendLine("invokers() {");
            s.AppendLine("  local member members");
            s.AppendLine("  [ -n \"${INVOKERS:-}\" ] || return 0 # (an empty array under set -u fails in macOS's bash 3.2)");
            s.AppendLine("  IFS=',' read -r -a members <<< \"$INVOKERS\"");
            s.AppendLine("  for member in \"${members[@]}\"; do");
            s.AppendLine("    if [ -n \"$member\" ]; then grant_invoker \"$1\" \"$member\"; fi");
            s.AppendLine("  done");
            s.AppendLine("}");
        }

        if (pushed)
        {
            s.AppendLine();
            s.AppendLine("# push_subscription NAME TOPIC SERVICE-URL ACK-DEADLINE: Pub/Sub pushes each message of TOPIC to the service with an OIDC");
            s.AppendLine(Inv($"# token of the invoker; a message that fails {MaxDeliveryAttempts} deliveries (10 s to 600 s apart) moves to the dead-letter topic NAME-dead-letter,"));
            s.AppendLine("# kept 14 days by its pull subscription of the same name. Neither subscription expires when idle.");
            s.AppendLine("push_subscription() {");
            s.AppendLine("  local dead=\"$1-dead-letter\"");
            s.AppendLine("  topic \"$dead\"");
            s.AppendLine("  exists gcloud pubsub subscriptions describe \"$dead\" --project \"$PROJECT\" \\");
            s.AppendLine("    || gcloud pubsub subscriptions create \"$dead\" --project \"$PROJECT\" --topic \"$dead\" --message-retention-duration 14d --expiration-period never");
            s.AppendLine("  local settings=(--push-endpoint \"$3/projects/$PROJECT/topics/$2\" --push-auth-service-account \"$invoker\" --push-auth-token-audience \"$3\"");
            s.AppendLine(Inv($"    --ack-deadline \"$4\" --dead-letter-topic \"$dead\" --max-delivery-attempts {MaxDeliveryAttempts} --min-retry-delay 10s --max-retry-delay 600s --expiration-period never)"));
            s.AppendLine("  if exists gcloud pubsub subscriptions describe \"$1\" --project \"$PROJECT\"; then");
            s.AppendLine("    gcloud pubsub subscriptions update \"$1\" --project \"$PROJECT\" \"${settings[@]}\"");
            s.AppendLine("  else");
            s.AppendLine("    gcloud pubsub subscriptions create \"$1\" --project \"$PROJECT\" --topic \"$2\" \"${settings[@]}\"");
            s.AppendLine("  fi");
            s.AppendLine("  # Dead-lettering is done by the Pub/Sub service agent: it publishes to the dead-letter topic and acknowledges on the subscription.");
            s.AppendLine("  retry gcloud pubsub topics add-iam-policy-binding \"$dead\" --project \"$PROJECT\" --member \"serviceAccount:$pubsub_agent\" --role roles/pubsub.publisher >/dev/null");
            s.AppendLine("  retry gcloud pubsub subscriptions add-iam-policy-binding \"$1\" --project \"$PROJECT\" --member \"serviceAccount:$pubsub_agent\" --role roles/pubsub.subscriber >/dev/null");
            s.AppendLine("}");
        }

        if (scheduled)
        {
            s.AppendLine();
            s.AppendLine("# scheduler_job NAME CRON SERVICE-URL ATTEMPT-DEADLINE: Cloud Scheduler POSTs to the service on the cron (UTC) with an OIDC token of the invoker.");
            s.AppendLine("scheduler_job() {");
            s.AppendLine("  local settings=(--project \"$PROJECT\" --location \"$SCHEDULER_LOCATION\" --schedule \"$2\" --time-zone UTC --uri \"$3/\" --http-method POST");
            s.AppendLine("    --oidc-service-account-email \"$invoker\" --oidc-token-audience \"$3\" --attempt-deadline \"$4\")");
            s.AppendLine("  if exists gcloud scheduler jobs describe \"$1\" --project \"$PROJECT\" --location \"$SCHEDULER_LOCATION\"; then");
            s.AppendLine("    gcloud scheduler jobs update http \"$1\" \"${settings[@]}\"");
            s.AppendLine("  else");
            s.AppendLine("    gcloud scheduler jobs create http \"$1\" \"${settings[@]}\"");
            s.AppendLine("  fi");
            s.AppendLine("}");
        }

        if (events)
        {
            s.AppendLine();
            s.AppendLine("# eventarc_trigger NAME SERVICE TYPE [FILTERS]: Eventarc delivers the events of TYPE (and the comma-separated FILTERS, such as");
            s.AppendLine("# bucket=my-bucket) to the service as CloudEvents, calling it as the invoker.");
            s.AppendLine("eventarc_trigger() {");
            s.AppendLine("  local filter filters=(--event-filters \"type=$3\") extra");
            s.AppendLine("  if [ -n \"${4:-}\" ]; then");
            s.AppendLine("    IFS=',' read -r -a extra <<< \"$4\"");
            s.AppendLine("    for filter in \"${extra[@]}\"; do");
            s.AppendLine("      if [ -n \"$filter\" ]; then filters+=(--event-filters \"$filter\"); fi");
            s.AppendLine("    done");
            s.AppendLine("  fi");
            s.AppendLine("  local settings=(--project \"$PROJECT\" --location \"$EVENTARC_LOCATION\" --destination-run-service \"$2\" --destination-run-region \"$REGION\"");
            s.AppendLine("    \"${filters[@]}\" --service-account \"$invoker\")");
            s.AppendLine("  if exists gcloud eventarc triggers describe \"$1\" --project \"$PROJECT\" --location \"$EVENTARC_LOCATION\"; then");
            s.AppendLine("    gcloud eventarc triggers update \"$1\" \"${settings[@]}\"");
            s.AppendLine("  else");
            s.AppendLine("    gcloud eventarc triggers create \"$1\" \"${settings[@]}\"");
            s.AppendLine("  fi");
            s.AppendLine("}");
        }

        s.AppendLine();
    }

    private static void Inputs(StringBuilder s, IReadOnlyList<string> secrets, bool schedules, bool events)
    {
        s.AppendLine("[ -n \"${PROJECT:-}\" ] || fail \"PROJECT is not set: give the Google Cloud project id, as in PROJECT=my-project REGION=europe-west1 bash deploy.sh\"");
        s.AppendLine("[ -n \"${REGION:-}\" ] || fail \"REGION is not set: give the region to deploy to, as in PROJECT=my-project REGION=europe-west1 bash deploy.sh\"");
        s.AppendLine("ENVIRONMENT=\"${ENVIRONMENT:-Production}\"");
        s.AppendLine("[[ \"$ENVIRONMENT\" =~ ^[A-Za-z0-9_.-]+$ ]] || fail \"ENVIRONMENT is '$ENVIRONMENT': use letters, digits, '-', '_' or '.' (it names appsettings.$ENVIRONMENT.json).\"");
        if (schedules) s.AppendLine("SCHEDULER_LOCATION=\"${SCHEDULER_LOCATION:-$REGION}\"");
        if (events) s.AppendLine("EVENTARC_LOCATION=\"${EVENTARC_LOCATION:-$REGION}\"");
        foreach (var secret in secrets)
        {
            var (variable, overrideVariable) = SecretVariables(secret);
            s.AppendLine(Inv($"{variable}=\"${{{overrideVariable}:-{secret}}}\""));
        }

        s.AppendLine("command -v gcloud >/dev/null || fail \"gcloud is not on PATH: install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install), then gcloud auth login.\"");
        s.AppendLine("export CLOUDSDK_CORE_DISABLE_PROMPTS=1 # never wait for an answer: fail instead");
        s.AppendLine("cd \"$(dirname \"${BASH_SOURCE[0]}\")\" # the published folder: the build context");
    }

    /// <summary>The physical Cloud Storage bucket of a declared bucket in the script: <c>$PROJECT-NAME</c>.</summary>
    public static string BucketName(string bucket) => "$PROJECT-" + bucket;

    private static void BucketHelpers(StringBuilder s)
    {
        s.AppendLine("# bucket NAME: a Cloud Storage bucket in REGION with uniform bucket-level access (IAM only, no object ACLs).");
        s.AppendLine("bucket() {");
        s.AppendLine("  exists gcloud storage buckets describe \"gs://$1\" --project \"$PROJECT\" \\");
        s.AppendLine("    || gcloud storage buckets create \"gs://$1\" --project \"$PROJECT\" --location \"$REGION\" --uniform-bucket-level-access");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("# grant_bucket BUCKET ACCOUNT-EMAIL: the account may read, write and delete that bucket's objects only.");
        s.AppendLine("grant_bucket() {");
        s.AppendLine("  retry gcloud storage buckets add-iam-policy-binding \"gs://$1\" --project \"$PROJECT\" --member \"serviceAccount:$2\" --role roles/storage.objectUser >/dev/null");
        s.AppendLine("}");
        s.AppendLine();
    }

    private static void Apis(StringBuilder s, FunctionCatalog catalog, IReadOnlyList<string> secrets, bool pubsub, bool scheduler, bool eventarc, bool storage = false, bool signing = false)
    {
        var apis = new List<string> { "run.googleapis.com", "iam.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com" };
        if (catalog.Repositories.Count > 0) apis.Add("firestore.googleapis.com");
        if (pubsub) apis.Add("pubsub.googleapis.com");
        if (scheduler) apis.Add("cloudscheduler.googleapis.com");
        if (eventarc) apis.Add("eventarc.googleapis.com");
        if (storage) apis.Add("storage.googleapis.com");
        if (signing) apis.Add("iamcredentials.googleapis.com"); // signBlob, which signs the store's URLs on Cloud Run
        if (secrets.Count > 0) apis.Add("secretmanager.googleapis.com");
        s.AppendLine();
        s.AppendLine("step \"APIs\"");
        s.AppendLine(Inv($"gcloud services enable {string.Join(' ', apis)} --project \"$PROJECT\""));
    }

    private static void Secrets(StringBuilder s, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0) return;
        s.AppendLine();
        s.AppendLine("step \"secrets: each must be in Secret Manager already; this script never reads or writes a value\"");
        foreach (var secret in secrets)
        {
            var (variable, overrideVariable) = SecretVariables(secret);
            s.AppendLine(Inv($"exists gcloud secrets describe \"${variable}\" --project \"$PROJECT\" \\"));
            s.AppendLine(Inv($"  || fail \"The secret '${variable}' ({secret}) is not in Secret Manager in $PROJECT. Create it (printf '%s' \\\"\\$VALUE\\\" | gcloud secrets create ${variable} --data-file=- --project $PROJECT) or set {overrideVariable} to the secret to use.\""));
        }
    }

    private static void Image(StringBuilder s, GcpNames names)
    {
        s.AppendLine();
        s.AppendLine("step \"image\"");
        s.AppendLine("# One image serves every function (FUNCTION_TARGET picks one), so it is built once, by Cloud Build from this folder's Dockerfile,");
        s.AppendLine("# and every service deploys it with --image. `gcloud run deploy --source` would upload and build this folder again for each");
        s.AppendLine("# service: N builds of the same bits, and services running different images if the folder changed in between.");
        s.AppendLine("if [ -n \"${IMAGE:-}\" ]; then");
        s.AppendLine("  echo \"IMAGE is set: deploying $IMAGE as it is.\"");
        s.AppendLine("else");
        s.AppendLine("  [ -f Dockerfile ] || fail \"There is no Dockerfile beside deploy.sh: run the deploy.sh of a published folder (dotnet publish -p:PortableTarget=gcp writes both).\"");
        s.AppendLine("  REPOSITORY=\"${REPOSITORY:-portable}\"");
        s.AppendLine(Inv($"  IMAGE=\"$REGION-docker.pkg.dev/$PROJECT/$REPOSITORY/{names.App}:${{TAG:-$(date -u +%Y%m%d-%H%M%S)}}\""));
        s.AppendLine("  exists gcloud artifacts repositories describe \"$REPOSITORY\" --project \"$PROJECT\" --location \"$REGION\" \\");
        s.AppendLine("    || gcloud artifacts repositories create \"$REPOSITORY\" --project \"$PROJECT\" --location \"$REGION\" --repository-format docker");
        s.AppendLine("  gcloud builds submit . --project \"$PROJECT\" --tag \"$IMAGE\"");
        s.AppendLine("fi");
    }

    private static void Invoker(StringBuilder s, GcpNames names, bool pushed, bool events)
    {
        s.AppendLine();
        s.AppendLine("step \"the invoker: the identity Pub/Sub, Cloud Scheduler and Eventarc call the private services as\"");
        s.AppendLine(Inv($"invoker=\"{names.Invoker}@$PROJECT.iam.gserviceaccount.com\""));
        s.AppendLine(Inv($"account {names.Invoker} {Sh("Calls the triggered services (Portable)")}"));
        if (pushed)
        {
            s.AppendLine("project_number=\"$(gcloud projects describe \"$PROJECT\" --format 'value(projectNumber)')\"");
            s.AppendLine("[ -n \"$project_number\" ] || fail \"gcloud gave no project number for $PROJECT.\"");
            s.AppendLine("pubsub_agent=\"service-$project_number@gcp-sa-pubsub.iam.gserviceaccount.com\"");
            s.AppendLine("# Pub/Sub signs each push with an OIDC token of the invoker; in projects made before April 2021 its service agent needs this role for that.");
            s.AppendLine("retry gcloud iam service-accounts add-iam-policy-binding \"$invoker\" --project \"$PROJECT\" \\");
            s.AppendLine("  --member \"serviceAccount:$pubsub_agent\" --role roles/iam.serviceAccountTokenCreator >/dev/null");
        }

        if (events)
        {
            s.AppendLine("# An Eventarc trigger's account must be allowed to receive events; Eventarc grants that on the project only.");
            s.AppendLine("grant_project roles/eventarc.eventReceiver \"$invoker\"");
        }
    }

    private static void Function(StringBuilder s, FunctionCatalog catalog, FunctionDefinition function, GcpNames names, IReadOnlyList<string> secrets)
    {
        var trigger = function.Trigger;
        var settings = function.Settings;
        var service = names.Service(function);
        var anonymous = trigger.Kind == TriggerKind.Http && settings.Access == FunctionAccess.Anonymous;
        var uses = function.Uses;
        s.AppendLine();
        s.AppendLine(Inv($"step \"{function.Name} ({ShEscapeDouble(trigger.ToString())}): Cloud Run service {service}, {(anonymous ? "public" : "private")}\""));
        s.AppendLine(Inv($"sa=\"{names.Account(function)}@$PROJECT.iam.gserviceaccount.com\""));
        s.AppendLine(Inv($"account {names.Account(function)} {Sh(DisplayName($"{catalog.AppName} {function.Name} (Portable)"))}"));
        if (uses.IsEmpty && secrets.Count == 0) s.AppendLine("# It uses no repository, queue, topic or secret: its account gets no role.");
        if (uses.Repositories.Count > 0)
        {
            s.AppendLine(Inv($"# Firestore ({string.Join(", ", uses.Repositories)}): Firestore has no per-collection IAM, so this role reaches every collection of the project's databases."));
            s.AppendLine("grant_project roles/datastore.user \"$sa\"");
        }

        foreach (var topic in uses.Queues.Concat(uses.Topics).Distinct(StringComparer.Ordinal)) s.AppendLine(Inv($"grant_publisher {Sh(topic)} \"$sa\""));
        foreach (var secret in secrets) s.AppendLine(Inv($"grant_secret \"${SecretVariables(secret).Variable}\" \"$sa\""));
        foreach (var bucket in uses.Buckets) s.AppendLine(Inv($"grant_bucket \"{BucketName(bucket)}\" \"$sa\""));
        if (uses.Buckets.Count > 0)
        {
            s.AppendLine("# Signed URLs: Cloud Run has no key file, so the account signs them through the IAM Credentials API (signBlob) as itself;");
            s.AppendLine("# this role on its own account (not on the project) lets it sign as itself and as no other account.");
            s.AppendLine("retry gcloud iam service-accounts add-iam-policy-binding \"$sa\" --project \"$PROJECT\" --member \"serviceAccount:$sa\" --role roles/iam.serviceAccountTokenCreator >/dev/null");
        }

        var memory = settings.MemoryMb;
        s.AppendLine(Inv($"gcloud run deploy {service} --project \"$PROJECT\" --region \"$REGION\" --image \"$IMAGE\" --service-account \"$sa\" \\"));
        s.AppendLine(Inv($"  --set-env-vars \"FUNCTION_TARGET={function.Name},GOOGLE_CLOUD_PROJECT=$PROJECT,DOTNET_ENVIRONMENT=$ENVIRONMENT\" \\"));
        if (secrets.Count > 0)
        {
            s.AppendLine(Inv($"  --set-secrets \"{string.Join(',', secrets.Select(n => $"{n}=${SecretVariables(n).Variable}:latest"))}\" \\"));
        }

        var limits = new StringBuilder(Inv($"  --memory {memory}Mi --cpu {Cpu(memory)}"));
        if (memory < 512) limits.Append(" --execution-environment gen1"); // the second generation needs at least 512 MiB
        limits.Append(Inv($" --timeout {(int)settings.Timeout.TotalSeconds} --concurrency {RequestsPerInstance}"));
        if (settings.MaxConcurrency is { } instances) limits.Append(Inv($" --max-instances {instances}"));
        s.AppendLine(limits + " \\");
        s.AppendLine(anonymous ? "  --allow-unauthenticated" : "  --no-allow-unauthenticated");
        switch (trigger.Kind)
        {
            case TriggerKind.Http:
                if (!anonymous) s.AppendLine(Inv($"invokers {service}"));
                break;
            case TriggerKind.Queue:
            case TriggerKind.Topic:
                s.AppendLine(Inv($"grant_invoker {service} \"serviceAccount:$invoker\""));
                s.AppendLine(Inv($"url=\"$(service_url {service})\""));
                s.AppendLine(Inv($"push_subscription {service} {Sh(trigger.Name!)} \"$url\" {AckDeadline(function)}"));
                break;
            case TriggerKind.Schedule:
                s.AppendLine(Inv($"grant_invoker {service} \"serviceAccount:$invoker\""));
                s.AppendLine(Inv($"url=\"$(service_url {service})\""));
                var deadline = Math.Clamp((int)settings.Timeout.TotalSeconds + 10, 15, 1800);
                s.AppendLine(Inv($"scheduler_job {service} {Sh(trigger.Cron!)} \"$url\" {deadline}s"));
                break;
            case TriggerKind.Blob:
                s.AppendLine(Inv($"grant_invoker {service} \"serviceAccount:$invoker\""));
                var changes = trigger.BlobEvents ?? Portable.Blobs.BlobEvents.Created;
                var filters = Inv($"\"bucket={BucketName(trigger.Name!)},${{{EventFiltersVariable(function)}:-}}\"");
                if (changes.HasFlag(Portable.Blobs.BlobEvents.Created)) s.AppendLine(Inv($"eventarc_trigger {service} {service} google.cloud.storage.object.v1.finalized {filters}"));
                if (changes.HasFlag(Portable.Blobs.BlobEvents.Deleted)) s.AppendLine(Inv($"eventarc_trigger {service}-deleted {service} google.cloud.storage.object.v1.deleted {filters}"));
                break;
            default:
                s.AppendLine(Inv($"grant_invoker {service} \"serviceAccount:$invoker\""));
                if (IsExactEventType(trigger.EventType!))
                {
                    s.AppendLine(Inv($"eventarc_trigger {service} {service} {Sh(trigger.EventType!)} \"${{{EventFiltersVariable(function)}:-}}\""));
                }
                else
                {
                    s.AppendLine(Inv($"# No Eventarc trigger: the event type '{trigger.EventType}' is not one exact type, which an Eventarc filter needs (see gcp-deploy.md)."));
                }

                break;
        }
    }

    /// <summary>IAM takes a display name of at most 100 characters.</summary>
    private static string DisplayName(string text) => text.Length <= 100 ? text : text[..100];

    /// <summary>A word as bash reads it: left bare when it has no character bash treats specially, else single-quoted.</summary>
    internal static string Sh(string value)
        => value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '@' or '+' or ',')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Text inside a double-quoted bash string: <c>\</c>, <c>"</c>, <c>$</c> and <c>`</c> escaped.</summary>
    private static string ShEscapeDouble(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
