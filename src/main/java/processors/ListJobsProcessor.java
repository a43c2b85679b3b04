package processors;

import access.AccessRefusedException;
import access.Client;
import jobs.Job;
import jobs.JobHeaders;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/** GET /jobs?limit=N: the caller's own most recent jobs first, for the web page's history. */
@Component
public class ListJobsProcessor implements Processor {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final JobStore jobs;
    private final HttpReplies replies;

    public ListJobsProcessor(JobStore jobs, HttpReplies replies) {
        this.jobs = jobs;
        this.replies = replies;
    }

    @Override
    public void process(Exchange exchange) {
        Client client = exchange.getProperty(JobHeaders.CLIENT, Client.class);
        if (client == null || !client.hasToken()) {
            // A history belongs to a token; without one there is nobody's to show.
            throw AccessRefusedException.unauthorized(
                    "Send 'Authorization: Bearer <token>' to list the jobs made with that token.");
        }
        String raw = exchange.getMessage().getHeader("limit", String.class);
        int limit = DEFAULT_LIMIT;
        if (raw != null && !raw.isBlank()) {
            try {
                limit = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                replies.detail(exchange, 400, "limit must be a whole number from 1 to " + MAX_LIMIT);
                return;
            }
        }
        replies.json(exchange, 200, jobs.recent(client.owner(), limit).stream().map(Job::view).toList());
    }
}
