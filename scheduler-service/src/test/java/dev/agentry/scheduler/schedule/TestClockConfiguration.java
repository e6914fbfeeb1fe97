package dev.agentry.scheduler.schedule;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The hand-moved clock in place of the system clock, for every bean that asks for a {@code Clock}. */
@TestConfiguration(proxyBeanMethods = false)
class TestClockConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
        return ScheduleIntegrationTest.CLOCK;
    }
}
