package dev.tally.api;

import dev.tally.api.proto.DeleteServiceUserCredentialRequest;
import dev.tally.api.proto.DeleteServiceUserCredentialResponse;
import dev.tally.api.proto.DeleteServiceUserRequest;
import dev.tally.api.proto.DeleteServiceUserResponse;
import dev.tally.api.proto.GetServiceUserRequest;
import dev.tally.api.proto.GetServiceUserResponse;
import dev.tally.api.proto.ListServiceUserCredentialsRequest;
import dev.tally.api.proto.ListServiceUserCredentialsResponse;
import dev.tally.api.proto.ListServiceUsersRequest;
import dev.tally.api.proto.ListServiceUsersResponse;
import dev.tally.api.proto.SecretCredential;
import dev.tally.auth.Principal;
import dev.tally.auth.ServiceUserService;

import static dev.tally.api.BillingAccountRpcs.required;

/** Frontier's service-user lifecycle RPCs (DESIGN §15): list, get, delete; list and delete credentials. */
final class ServiceUserRpcs {
    private final ServiceUserService serviceUsers;

    ServiceUserRpcs(ServiceUserService serviceUsers) {
        this.serviceUsers = serviceUsers;
    }

    ListServiceUsersResponse list(Principal principal, ListServiceUsersRequest request) {
        var response = ListServiceUsersResponse.newBuilder();
        serviceUsers.list(principal, required("org_id", request.getOrgId()), request.getState())
                .forEach(user -> response.addServiceusers(ProtoMapping.serviceUser(user)));
        return response.build();
    }

    GetServiceUserResponse get(Principal principal, GetServiceUserRequest request) {
        var user = serviceUsers.get(principal, required("org_id", request.getOrgId()), required("id", request.getId()));
        return GetServiceUserResponse.newBuilder().setServiceuser(ProtoMapping.serviceUser(user)).build();
    }

    DeleteServiceUserResponse delete(Principal principal, DeleteServiceUserRequest request) {
        serviceUsers.delete(principal, required("org_id", request.getOrgId()), required("id", request.getId()));
        return DeleteServiceUserResponse.getDefaultInstance();
    }

    ListServiceUserCredentialsResponse listCredentials(Principal principal, ListServiceUserCredentialsRequest request) {
        var response = ListServiceUserCredentialsResponse.newBuilder();
        serviceUsers.listCredentials(principal, required("org_id", request.getOrgId()), required("id", request.getId()))
                .forEach(credential -> response.addSecrets(SecretCredential.newBuilder()
                        .setId(credential.id())
                        .setTitle(credential.title())
                        .setCreatedAt(ProtoMapping.timestamp(credential.createdAt()))
                        .build()));
        return response.build();
    }

    DeleteServiceUserCredentialResponse deleteCredential(Principal principal, DeleteServiceUserCredentialRequest request) {
        serviceUsers.deleteCredential(principal, required("org_id", request.getOrgId()), required("id", request.getId()),
                required("secret_id", request.getSecretId()));
        return DeleteServiceUserCredentialResponse.getDefaultInstance();
    }
}
