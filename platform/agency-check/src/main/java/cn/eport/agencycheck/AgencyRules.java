package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import java.time.LocalDate;
import java.util.List;

/**
 * An agency's rules: plain Java, no I/O, facts in and findings out. The only thing an agency
 * service must provide. The kit asks the agency's registry the {@link #registryQueries} and hands
 * the answers to {@link #check}; it turns the findings into a verdict: any REJECT finding rejects,
 * otherwise any REFER finding refers the case to a reviewer, otherwise the application is approved.
 */
public interface AgencyRules {

    Agency agency();

    /**
     * The rule set and its version, recorded in every verdict: {@code quality-rules/2}. A change to
     * what the rules decide is a new version.
     */
    String ruleSetVersion();

    /**
     * The registry records the check needs. Ask only for identifiers that are well formed: a
     * malformed one is rejected on the form alone.
     */
    List<RegistryQuery> registryQueries(ApplicationRevision application);

    /**
     * @param facts the registry's answers to every query of {@link #registryQueries}
     * @param today the date in China, for validity
     */
    List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today);

    /**
     * What this agency's decision depends on. When an amended revision leaves these equal and the
     * agency approved the previous revision, the approval is carried forward without a new check;
     * otherwise the agency checks again. By default everything on the form counts.
     */
    default List<Object> inputs(ApplicationRevision application) {
        return List.of(application.enterprise(), application.legalRepresentative(), application.operators());
    }
}
