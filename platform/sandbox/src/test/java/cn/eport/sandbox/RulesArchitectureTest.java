package cn.eport.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.contracts.Agency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the decision core free of frameworks and I/O (STYLE.md, practices 2 and 3): the agencies'
 * rules and the identifier checks are plain Java, and the event contracts need nothing but the JDK
 * and Jackson's annotations. The sandbox sees every module's main classes, so the rules live here.
 */
class RulesArchitectureTest {

    private static final String[] FRAMEWORKS_AND_IO = {
            "org.springframework..", "org.apache.kafka..", "java.net.http..", "jakarta.servlet..", "java.sql.."};

    private static final JavaClasses EPORT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("cn.eport");

    @Test
    void importsTheRulesOfEverySixAgencies() {
        // Otherwise a service missing from this module's class path would escape the rules below unnoticed.
        assertThat(EPORT.stream().filter(c -> !c.isInterface() && c.isAssignableTo(AgencyRules.class)).map(JavaClass::getSimpleName))
                .hasSize(Agency.values().length);
    }

    @Test
    void agencyRulesDependOnNoFrameworkAndDoNoIo() {
        noClasses().that().implement(AgencyRules.class)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_IO)
                .because("an agency's rules are plain Java: facts in, findings out")
                .check(EPORT);
    }

    @Test
    void agencyRulesReachNoFrameworkThroughTheKitTheyCall() {
        noClasses().that().implement(AgencyRules.class)
                .should().transitivelyDependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_IO)
                .because("the findings and identifier checks a rule calls must stay plain Java too")
                .check(EPORT);
    }

    @Test
    void identifierChecksDependOnNoFrameworkAndDoNoIo() {
        noClasses().that().resideInAPackage("cn.eport.identifiers..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_IO)
                .because("the identifier checks are public standards anyone can run, with no registry")
                .check(EPORT);
    }

    @Test
    void contractsDependOnlyOnTheJdkAndJacksonAnnotations() {
        classes().that().resideInAPackage("cn.eport.contracts..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson.annotation..", "cn.eport.contracts..")
                .because("every producer and consumer shares the contracts, whatever else it runs on")
                .check(EPORT);
    }
}
