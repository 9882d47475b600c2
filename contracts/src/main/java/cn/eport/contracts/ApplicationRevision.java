package cn.eport.contracts;

import java.util.List;

/**
 * One revision of an application as the agencies check it: the first submission, or an amendment.
 * Only verdicts for the current (highest) revision count.
 */
public interface ApplicationRevision extends ApplicationEvent {

    int revision();

    String slipNumber();

    Channel channel();

    Enterprise enterprise();

    CardHolder legalRepresentative();

    List<CardHolder> operators();
}
