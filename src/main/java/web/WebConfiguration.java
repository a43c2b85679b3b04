package web;

import config.PanelOneProperties;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** WebSocket endpoint and CORS, both on the one HTTP port Cloud Run exposes. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@Profile("api")
public class WebConfiguration implements WebSocketConfigurer {
    private final JobStatusSocketHandler handler;
    private final PanelOneProperties properties;

    public WebConfiguration(JobStatusSocketHandler handler, PanelOneProperties properties) {
        this.handler = handler;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws/*").setAllowedOriginPatterns(origins());
    }

    /** A servlet filter rather than MVC CORS mappings, so the platform-http routes are covered too. */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(List.of(origins()));
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("*"));
        // A cross-origin client reads these too: where the job is, when to retry, which scheme a 401 wants.
        cors.setExposedHeaders(List.of("Location", "Retry-After", "WWW-Authenticate"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private String[] origins() {
        return properties.cors().allowedOrigins().split("\\s*,\\s*");
    }
}
