package processors;

import access.Client;
import access.ClientIdentifier;
import jakarta.servlet.http.HttpServletRequest;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Names the caller from its bearer token before anything else happens (docs/API.md, "Naming the client"); a
 * malformed token or, in key mode, a missing or wrong key ends the request here.
 */
@Component
public class IdentifyClientProcessor implements Processor {
    private final ClientIdentifier identifier;

    public IdentifyClientProcessor(ClientIdentifier identifier) {
        this.identifier = identifier;
    }

    @Override
    public void process(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        // The token is not needed past this point: no later step, log line or error report can carry it on.
        exchange.getMessage().removeHeader("Authorization");
        Client client = identifier.identify(request);
        exchange.setProperty(JobHeaders.CLIENT, client);
    }
}
