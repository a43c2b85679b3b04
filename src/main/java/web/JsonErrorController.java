package web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors no route answered (an unknown path, a wrong method) in the API's one error shape: {@code {"detail"}}. */
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, String>> error(HttpServletRequest request) {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            // Asked for directly (GET /error): not an error being reported, just a path the API does not serve.
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("detail", "Not found"));
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.resolve(value)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = status == HttpStatus.NOT_FOUND ? "Not found" : status.getReasonPhrase();
        return ResponseEntity.status(status).body(Map.of("detail", detail));
    }
}
