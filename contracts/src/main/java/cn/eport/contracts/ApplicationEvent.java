package cn.eport.contracts;

import java.util.UUID;

/** An event about one application; its id is the record key and the CloudEvents subject. */
public interface ApplicationEvent {

    UUID applicationId();
}
