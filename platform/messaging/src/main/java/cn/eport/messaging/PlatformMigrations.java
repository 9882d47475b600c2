package cn.eport.messaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.Location;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;

/**
 * Lets a platform module bring its own tables into the schema of every service that uses it: the
 * module's migrations (versioned 0.x) run beside the service's own (1 and up), in the service's schema.
 */
public final class PlatformMigrations {

    private PlatformMigrations() {
    }

    public static FlywayConfigurationCustomizer alsoMigrate(String location) {
        return configuration -> {
            List<Location> locations = new ArrayList<>(Arrays.asList(configuration.getLocations()));
            locations.add(new Location(location));
            configuration.locations(locations.toArray(Location[]::new));
        };
    }
}
