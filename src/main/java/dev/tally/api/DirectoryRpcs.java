package dev.tally.api;

import dev.tally.api.proto.CreateOrganizationRequest;
import dev.tally.api.proto.CreateOrganizationResponse;
import dev.tally.api.proto.CreateProjectRequest;
import dev.tally.api.proto.CreateProjectResponse;
import dev.tally.api.proto.CreateServiceUserCredentialRequest;
import dev.tally.api.proto.CreateServiceUserCredentialResponse;
import dev.tally.api.proto.CreateServiceUserRequest;
import dev.tally.api.proto.CreateServiceUserResponse;
import dev.tally.api.proto.GetOrganizationRequest;
import dev.tally.api.proto.GetOrganizationResponse;
import dev.tally.api.proto.GetProjectRequest;
import dev.tally.api.proto.GetProjectResponse;
import dev.tally.api.proto.ListAllOrganizationsRequest;
import dev.tally.api.proto.ListAllOrganizationsResponse;
import dev.tally.api.proto.ListOrganizationProjectsRequest;
import dev.tally.api.proto.ListOrganizationProjectsResponse;
import dev.tally.auth.Principal;
import dev.tally.auth.ServiceUserService;
import dev.tally.organization.OrganizationService;
import dev.tally.project.ProjectService;

import static dev.tally.api.BillingAccountRpcs.required;

/** Organizations, projects and service users: enough directory to run billing for real. */
final class DirectoryRpcs {
    private final OrganizationService organizations;
    private final ProjectService projects;
    private final ServiceUserService serviceUsers;

    DirectoryRpcs(OrganizationService organizations, ProjectService projects, ServiceUserService serviceUsers) {
        this.organizations = organizations;
        this.projects = projects;
        this.serviceUsers = serviceUsers;
    }

    CreateOrganizationResponse createOrganization(Principal principal, CreateOrganizationRequest request) {
        var body = request.getBody();
        var org = organizations.create(principal, body.getName(), body.getTitle(),
                ProtoJson.metadata("body.metadata", body.getMetadata()));
        return CreateOrganizationResponse.newBuilder().setOrganization(ProtoMapping.organization(org)).build();
    }

    GetOrganizationResponse getOrganization(Principal principal, GetOrganizationRequest request) {
        var org = organizations.get(principal, required("id", request.getId()));
        return GetOrganizationResponse.newBuilder().setOrganization(ProtoMapping.organization(org)).build();
    }

    ListAllOrganizationsResponse listAllOrganizations(Principal principal, ListAllOrganizationsRequest request) {
        var response = ListAllOrganizationsResponse.newBuilder();
        organizations.listAll(principal).forEach(org -> response.addOrganizations(ProtoMapping.organization(org)));
        return response.setCount(response.getOrganizationsCount()).build();
    }

    CreateProjectResponse createProject(Principal principal, CreateProjectRequest request) {
        var body = request.getBody();
        var project = projects.create(principal, body.getOrgId(), body.getName(), body.getTitle(),
                ProtoJson.metadata("body.metadata", body.getMetadata()));
        return CreateProjectResponse.newBuilder().setProject(ProtoMapping.project(project)).build();
    }

    GetProjectResponse getProject(Principal principal, GetProjectRequest request) {
        var project = projects.get(principal, required("id", request.getId()));
        return GetProjectResponse.newBuilder().setProject(ProtoMapping.project(project)).build();
    }

    ListOrganizationProjectsResponse listProjects(Principal principal, ListOrganizationProjectsRequest request) {
        var response = ListOrganizationProjectsResponse.newBuilder();
        projects.listByOrganization(principal, required("id", request.getId()))
                .forEach(project -> response.addProjects(ProtoMapping.project(project)));
        return response.build();
    }

    CreateServiceUserResponse createServiceUser(Principal principal, CreateServiceUserRequest request) {
        var body = request.getBody();
        var user = serviceUsers.create(principal, required("org_id", request.getOrgId()), body.getTitle(),
                ProtoJson.metadata("body.metadata", body.getMetadata()));
        return CreateServiceUserResponse.newBuilder().setServiceuser(ProtoMapping.serviceUser(user)).build();
    }

    CreateServiceUserCredentialResponse createCredential(Principal principal,
                                                         CreateServiceUserCredentialRequest request) {
        var issued = serviceUsers.createCredential(principal, required("org_id", request.getOrgId()),
                request.getId(), request.getTitle());
        return CreateServiceUserCredentialResponse.newBuilder().setSecret(ProtoMapping.secret(issued)).build();
    }
}
