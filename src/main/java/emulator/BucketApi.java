package emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** {@code /storage/v1/b[/{bucket}]}: insert, get, patch/update, delete and list buckets. */
final class BucketApi {

  private final ObjectStore store;

  BucketApi(ObjectStore store) {
    this.store = store;
  }

  void collection(HttpExchange exchange, String method) throws IOException {
    switch (method) {
      case "POST" -> Exchanges.sendJson(exchange, 200, store.createBucket(Exchanges.jsonBody(exchange)));
      case "GET" -> {
        ObjectNode list = Exchanges.JSON.createObjectNode().put("kind", "storage#buckets");
        store.buckets().forEach(list.putArray("items")::add);
        Exchanges.sendJson(exchange, 200, list);
      }
      default -> throw new ApiError(405, "methodNotAllowed", method + " is not supported on buckets");
    }
  }

  void bucket(HttpExchange exchange, String method, String bucket) throws IOException {
    switch (method) {
      case "GET" -> Exchanges.sendJson(exchange, 200, store.bucket(bucket));
      case "PATCH", "PUT" -> {
        ObjectNode patch = Exchanges.jsonBody(exchange);
        Exchanges.sendJson(exchange, 200,
            store.updateBucket(bucket, current -> Resources.patchBucket(current, patch, ObjectStore.now())));
      }
      case "DELETE" -> {
        store.deleteBucket(bucket);
        Exchanges.sendEmpty(exchange, 204);
      }
      default -> throw new ApiError(405, "methodNotAllowed", method + " is not supported on a bucket");
    }
  }
}
